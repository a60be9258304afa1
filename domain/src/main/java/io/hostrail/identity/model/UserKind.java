package io.hostrail.identity.model;

/** Staff work for the hosting provider; clients are logins of one of its customers. */
public enum UserKind { STAFF, CLIENT }
