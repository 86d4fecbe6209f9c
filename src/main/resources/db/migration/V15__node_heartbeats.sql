-- The nodes that share this database, with their heartbeats (ADR 11). A node beats every
-- second while it runs and marks itself stopped when it shuts down cleanly; a node whose beat is
-- a few seconds old is dead, and the outbox jobs leased to it are free to claim at once instead
-- of when their lease runs out. A restarted process is a new node, so its predecessor's row
-- simply stops beating. Rows of nodes long dead are deleted when a node starts.
CREATE TABLE node (
    id           text PRIMARY KEY,
    started_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now(),
    stopped_at   timestamptz
);
