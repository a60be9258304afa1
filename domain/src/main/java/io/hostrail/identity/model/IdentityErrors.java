package io.hostrail.identity.model;

import io.hostrail.shared.error.ErrorCode;
import io.hostrail.shared.error.ErrorKind;

/** The identity context's stable error codes. */
public final class IdentityErrors {

    public static final ErrorCode INVALID_CREDENTIALS = new ErrorCode("auth.invalid_credentials", ErrorKind.UNAUTHENTICATED);
    public static final ErrorCode INVALID_REFRESH_TOKEN = new ErrorCode("auth.invalid_refresh_token", ErrorKind.UNAUTHENTICATED);
    public static final ErrorCode REFRESH_TOKEN_REUSED = new ErrorCode("auth.refresh_token_reused", ErrorKind.UNAUTHENTICATED);
    public static final ErrorCode USER_NOT_FOUND = ErrorCode.notFound("user.not_found");
    public static final ErrorCode ROLE_NOT_FOUND = ErrorCode.notFound("role.not_found");
    public static final ErrorCode EMAIL_TAKEN = ErrorCode.conflict("user.email_taken");
    public static final ErrorCode ROLE_NAME_TAKEN = ErrorCode.conflict("role.name_taken");
    public static final ErrorCode STALE_VERSION = ErrorCode.conflict("version.stale");
    public static final ErrorCode BUILT_IN_ROLE = ErrorCode.rejected("role.built_in");
    public static final ErrorCode ROLE_IN_USE = ErrorCode.rejected("role.in_use");
    public static final ErrorCode WEAK_PASSWORD = ErrorCode.validation("user.weak_password");
    public static final ErrorCode LAST_OWNER = ErrorCode.rejected("user.last_owner");
    public static final ErrorCode WRONG_CURRENT_PASSWORD = ErrorCode.rejected("user.wrong_current_password");
    public static final ErrorCode INVALID_RESET_TOKEN = new ErrorCode("auth.invalid_reset_token", ErrorKind.UNAUTHENTICATED);
    public static final ErrorCode PEOPLE_ONLY = new ErrorCode("auth.people_only", ErrorKind.FORBIDDEN);
    public static final ErrorCode LOCKED = new ErrorCode("auth.locked", ErrorKind.THROTTLED);
    public static final ErrorCode SECOND_FACTOR_REQUIRED = new ErrorCode("auth.second_factor_required", ErrorKind.UNAUTHENTICATED);
    public static final ErrorCode SECOND_FACTOR_INVALID = new ErrorCode("auth.second_factor_invalid", ErrorKind.UNAUTHENTICATED);

    private IdentityErrors() {
    }
}
