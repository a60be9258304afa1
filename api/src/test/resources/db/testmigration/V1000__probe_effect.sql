-- Test-only: the effect table of the SpineProbe consumer. No unique key on purpose: an event applied
-- twice would show as two rows.
CREATE TABLE probe_effect (
    event_id     uuid NOT NULL,
    aggregate_id uuid NOT NULL,
    label        text NOT NULL
);
