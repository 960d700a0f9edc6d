ALTER TABLE events DROP KEY events_subject;
ALTER TABLE events DROP COLUMN subject_id;
