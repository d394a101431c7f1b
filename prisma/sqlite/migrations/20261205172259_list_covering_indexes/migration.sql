-- Lists by actor and by text match look events up by id: with deleted_at and start_date in the index they filter and sort without reading the rows, and the actor's live participations come from the index alone.
DROP INDEX "event_participants_actor_id_event_id_idx";
CREATE INDEX "events_id_deleted_at_start_date_idx" ON "events"("id", "deleted_at", "start_date");
CREATE INDEX "event_participants_actor_id_deleted_at_event_id_idx" ON "event_participants"("actor_id", "deleted_at", "event_id");
