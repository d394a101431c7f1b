DROP INDEX "provenance_event_id_idx";
CREATE INDEX "provenance_event_id_deleted_at_start_offset_id_idx" ON "provenance"("event_id", "deleted_at", "start_offset", "id");
