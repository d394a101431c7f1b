-- CreateTable
CREATE TABLE "sources" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "title" TEXT NOT NULL,
    "publisher" TEXT,
    "url" TEXT,
    "original_url" TEXT,
    "language" TEXT,
    "published_on" TEXT,
    "kind" TEXT NOT NULL DEFAULT 'news_article',
    "credit" TEXT,
    "notes" TEXT,
    "text" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "deleted_at" DATETIME
);

-- CreateTable
CREATE TABLE "actors" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "country" TEXT,
    "parent_id" TEXT,
    "title" TEXT,
    "notes" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "deleted_at" DATETIME,
    CONSTRAINT "actors_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "actors" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "actor_aliases" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "actor_id" TEXT NOT NULL,
    "alias" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "deleted_at" DATETIME,
    CONSTRAINT "actor_aliases_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "actors" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "events" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "title" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "sub_event_type" TEXT,
    "start_date" TEXT NOT NULL,
    "end_date" TEXT NOT NULL,
    "date_precision" TEXT NOT NULL,
    "date_note" TEXT,
    "country" TEXT,
    "admin1" TEXT,
    "admin2" TEXT,
    "location" TEXT,
    "latitude" REAL,
    "longitude" REAL,
    "geo_precision" TEXT,
    "description" TEXT,
    "notes" TEXT,
    "status" TEXT,
    "parent_id" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "deleted_at" DATETIME,
    CONSTRAINT "events_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "events" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "event_participants" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "event_id" TEXT NOT NULL,
    "actor_id" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "notes" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "deleted_at" DATETIME,
    CONSTRAINT "event_participants_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "event_participants_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "actors" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "statements" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "quote" TEXT,
    "said_on" TEXT NOT NULL,
    "said_on_precision" TEXT NOT NULL,
    "date_note" TEXT,
    "speaker_id" TEXT,
    "on_behalf_of_id" TEXT,
    "attribution" TEXT NOT NULL,
    "attribution_note" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "deleted_at" DATETIME,
    CONSTRAINT "statements_speaker_id_fkey" FOREIGN KEY ("speaker_id") REFERENCES "actors" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "statements_on_behalf_of_id_fkey" FOREIGN KEY ("on_behalf_of_id") REFERENCES "actors" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "statement_targets" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "statement_id" TEXT NOT NULL,
    "actor_id" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "deleted_at" DATETIME,
    CONSTRAINT "statement_targets_statement_id_fkey" FOREIGN KEY ("statement_id") REFERENCES "statements" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "statement_targets_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "actors" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "statement_events" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "statement_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "deleted_at" DATETIME,
    CONSTRAINT "statement_events_statement_id_fkey" FOREIGN KEY ("statement_id") REFERENCES "statements" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "statement_events_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "casualty_reports" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "event_id" TEXT NOT NULL,
    "reported_by_id" TEXT,
    "statement_id" TEXT,
    "reported_on" TEXT,
    "reported_on_precision" TEXT,
    "period_start" TEXT NOT NULL,
    "period_end" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "affected_actor_id" TEXT,
    "affected_country" TEXT,
    "killed_min" INTEGER,
    "killed_max" INTEGER,
    "injured_min" INTEGER,
    "injured_max" INTEGER,
    "qualifier" TEXT,
    "notes" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "deleted_at" DATETIME,
    CONSTRAINT "casualty_reports_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "casualty_reports_reported_by_id_fkey" FOREIGN KEY ("reported_by_id") REFERENCES "actors" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "casualty_reports_statement_id_fkey" FOREIGN KEY ("statement_id") REFERENCES "statements" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "casualty_reports_affected_actor_id_fkey" FOREIGN KEY ("affected_actor_id") REFERENCES "actors" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "provenance" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "source_id" TEXT NOT NULL,
    "excerpt" TEXT NOT NULL,
    "start_offset" INTEGER,
    "end_offset" INTEGER,
    "actor_id" TEXT,
    "event_id" TEXT,
    "participant_id" TEXT,
    "statement_id" TEXT,
    "casualty_report_id" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "deleted_at" DATETIME,
    CONSTRAINT "provenance_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "provenance_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "actors" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "provenance_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "provenance_participant_id_fkey" FOREIGN KEY ("participant_id") REFERENCES "event_participants" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "provenance_statement_id_fkey" FOREIGN KEY ("statement_id") REFERENCES "statements" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "provenance_casualty_report_id_fkey" FOREIGN KEY ("casualty_report_id") REFERENCES "casualty_reports" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "sources_publisher_idx" ON "sources"("publisher");

-- CreateIndex
CREATE INDEX "sources_published_on_idx" ON "sources"("published_on");

-- CreateIndex
CREATE INDEX "sources_updated_at_idx" ON "sources"("updated_at");

-- CreateIndex
CREATE INDEX "actors_name_idx" ON "actors"("name");

-- CreateIndex
CREATE INDEX "actors_kind_idx" ON "actors"("kind");

-- CreateIndex
CREATE INDEX "actors_country_idx" ON "actors"("country");

-- CreateIndex
CREATE INDEX "actors_parent_id_idx" ON "actors"("parent_id");

-- CreateIndex
CREATE INDEX "actors_updated_at_idx" ON "actors"("updated_at");

-- CreateIndex
CREATE INDEX "actor_aliases_alias_idx" ON "actor_aliases"("alias");

-- CreateIndex
CREATE UNIQUE INDEX "actor_aliases_actor_id_alias_key" ON "actor_aliases"("actor_id", "alias");

-- CreateIndex
CREATE INDEX "events_start_date_id_idx" ON "events"("start_date", "id");

-- CreateIndex
CREATE INDEX "events_end_date_idx" ON "events"("end_date");

-- CreateIndex
CREATE INDEX "events_event_type_idx" ON "events"("event_type");

-- CreateIndex
CREATE INDEX "events_sub_event_type_idx" ON "events"("sub_event_type");

-- CreateIndex
CREATE INDEX "events_country_start_date_idx" ON "events"("country", "start_date");

-- CreateIndex
CREATE INDEX "events_admin1_idx" ON "events"("admin1");

-- CreateIndex
CREATE INDEX "events_parent_id_idx" ON "events"("parent_id");

-- CreateIndex
CREATE INDEX "events_status_idx" ON "events"("status");

-- CreateIndex
CREATE INDEX "events_latitude_longitude_idx" ON "events"("latitude", "longitude");

-- CreateIndex
CREATE INDEX "events_updated_at_idx" ON "events"("updated_at");

-- CreateIndex
CREATE INDEX "event_participants_actor_id_role_idx" ON "event_participants"("actor_id", "role");

-- CreateIndex
CREATE INDEX "event_participants_role_idx" ON "event_participants"("role");

-- CreateIndex
CREATE UNIQUE INDEX "event_participants_event_id_actor_id_role_key" ON "event_participants"("event_id", "actor_id", "role");

-- CreateIndex
CREATE INDEX "statements_speaker_id_idx" ON "statements"("speaker_id");

-- CreateIndex
CREATE INDEX "statements_on_behalf_of_id_idx" ON "statements"("on_behalf_of_id");

-- CreateIndex
CREATE INDEX "statements_kind_idx" ON "statements"("kind");

-- CreateIndex
CREATE INDEX "statements_said_on_id_idx" ON "statements"("said_on", "id");

-- CreateIndex
CREATE INDEX "statements_attribution_idx" ON "statements"("attribution");

-- CreateIndex
CREATE INDEX "statements_updated_at_idx" ON "statements"("updated_at");

-- CreateIndex
CREATE INDEX "statement_targets_actor_id_idx" ON "statement_targets"("actor_id");

-- CreateIndex
CREATE UNIQUE INDEX "statement_targets_statement_id_actor_id_key" ON "statement_targets"("statement_id", "actor_id");

-- CreateIndex
CREATE INDEX "statement_events_event_id_idx" ON "statement_events"("event_id");

-- CreateIndex
CREATE UNIQUE INDEX "statement_events_statement_id_event_id_key" ON "statement_events"("statement_id", "event_id");

-- CreateIndex
CREATE INDEX "casualty_reports_event_id_idx" ON "casualty_reports"("event_id");

-- CreateIndex
CREATE INDEX "casualty_reports_reported_by_id_idx" ON "casualty_reports"("reported_by_id");

-- CreateIndex
CREATE INDEX "casualty_reports_statement_id_idx" ON "casualty_reports"("statement_id");

-- CreateIndex
CREATE INDEX "casualty_reports_category_idx" ON "casualty_reports"("category");

-- CreateIndex
CREATE INDEX "casualty_reports_affected_actor_id_idx" ON "casualty_reports"("affected_actor_id");

-- CreateIndex
CREATE INDEX "casualty_reports_affected_country_idx" ON "casualty_reports"("affected_country");

-- CreateIndex
CREATE INDEX "casualty_reports_period_start_id_idx" ON "casualty_reports"("period_start", "id");

-- CreateIndex
CREATE INDEX "casualty_reports_period_end_idx" ON "casualty_reports"("period_end");

-- CreateIndex
CREATE INDEX "casualty_reports_updated_at_idx" ON "casualty_reports"("updated_at");

-- CreateIndex
CREATE INDEX "provenance_source_id_idx" ON "provenance"("source_id");

-- CreateIndex
CREATE INDEX "provenance_actor_id_idx" ON "provenance"("actor_id");

-- CreateIndex
CREATE INDEX "provenance_event_id_idx" ON "provenance"("event_id");

-- CreateIndex
CREATE INDEX "provenance_participant_id_idx" ON "provenance"("participant_id");

-- CreateIndex
CREATE INDEX "provenance_statement_id_idx" ON "provenance"("statement_id");

-- CreateIndex
CREATE INDEX "provenance_casualty_report_id_idx" ON "provenance"("casualty_report_id");

