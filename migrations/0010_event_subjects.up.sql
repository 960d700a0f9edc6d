-- The subject of an event: the transaction, hold or wallet it is about, which is the id in its data. A generated
-- column, so that it can never disagree with the data, with an index, so that the audit's check "every change has
-- its events" looks up each change's events instead of grouping every event's JSON (on 230,000 events that took
-- longer than 10 minutes; see LedgerAuditor+Events.swift).
--
-- Two statements, so that neither blocks writes: a virtual column is added in place and instantly, and the index is
-- then built online (an index on a virtual column stores the computed value; reads by it compute nothing).
ALTER TABLE events ADD COLUMN subject_id VARCHAR(32) AS (JSON_VALUE(data, '$.id')) VIRTUAL, ALGORITHM = INSTANT;
ALTER TABLE events ADD KEY events_subject (subject_id, type), ALGORITHM = INPLACE, LOCK = NONE;
