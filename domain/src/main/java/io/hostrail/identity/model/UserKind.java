package io.hostrail.identity.model;

/**
 * What kind of caller a principal is. Staff work for the hosting provider; clients are logins of one of
 * its customers; API keys are third-party integrations acting within their scopes.
 */
public enum UserKind { STAFF, CLIENT, API_KEY }
