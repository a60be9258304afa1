package io.hostrail.shared.model;

import java.util.UUID;

/** Makes identifiers. The application makes them (UUIDv7), never the database. */
@FunctionalInterface
public interface IdGenerator {

    UUID newId();
}
