CREATE INDEX "event_participants_actor_id_event_id_idx" ON "event_participants"("actor_id", "event_id");
