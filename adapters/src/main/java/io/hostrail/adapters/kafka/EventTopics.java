package io.hostrail.adapters.kafka;

import java.util.Objects;

/** The topic every event is published to, and where consumers park events they cannot apply. */
public record EventTopics(String events, String deadLetter, int partitions, short replicationFactor) {

    public EventTopics {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(deadLetter, "deadLetter");
        if (events.equals(deadLetter)) {
            throw new IllegalArgumentException("the dead-letter topic must differ from the events topic");
        }
        if (partitions < 1 || replicationFactor < 1) {
            throw new IllegalArgumentException("partitions and replication factor must be at least 1");
        }
    }
}
