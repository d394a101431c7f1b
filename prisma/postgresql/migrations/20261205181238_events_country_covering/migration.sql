DROP INDEX "events_country_start_date_idx";
CREATE INDEX "events_country_start_date_end_date_deleted_at_id_idx" ON "events"("country", "start_date", "end_date", "deleted_at", "id");
