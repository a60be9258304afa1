package io.hostrail.shared.error;

/** What kind of failure an error code is; the API maps each kind to one HTTP status. */
public enum ErrorKind {
    /** The input is malformed or breaks a field rule. */
    VALIDATION,
    /** The caller could not be identified: no, bad or expired credentials. */
    UNAUTHENTICATED,
    /** The caller is known but lacks the permission. */
    FORBIDDEN,
    /** The thing asked for does not exist, or belongs to someone else. */
    NOT_FOUND,
    /** The request conflicts with the current state (a version, a duplicate, a reused idempotency key). */
    CONFLICT,
    /** Well-formed and understood, but a business rule says no. */
    REJECTED,
    /** Too many attempts; try again later. */
    THROTTLED,
    /** A provider or dependency is unavailable. */
    UNAVAILABLE,
    /** A provider or dependency did not answer in time. */
    TIMEOUT
}
