DROP TABLE event_feed;
DROP TABLE events;
