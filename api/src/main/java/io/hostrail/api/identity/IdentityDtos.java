package io.hostrail.api.identity;

import io.hostrail.identity.model.Permission;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.model.Role;
import io.hostrail.identity.model.User;
import io.hostrail.identity.service.AuthenticationService.TokenPair;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/** The identity API's request and response bodies. */
final class IdentityDtos {

    private IdentityDtos() {
    }

    record LoginRequest(
            @Schema(example = "demo") @NotBlank @Size(max = 63) String tenant,
            @Schema(example = "owner@example.com") @NotBlank @Size(max = 254) String email,
            @NotBlank @Size(max = 1024) String password,
            @Schema(description = "The authenticator code, when the account has a second factor") @Size(max = 10) String totpCode,
            @Schema(description = "A recovery code instead of totpCode, when the device is lost") @Size(max = 40) String recoveryCode) {

        @Override
        public String toString() {
            return "LoginRequest[tenant=" + tenant + ", email=" + email + ", password=****, codes=****]";
        }
    }

    record RefreshRequest(@NotBlank @Size(max = 200) String refreshToken) {

        @Override
        public String toString() {
            return "RefreshRequest[refreshToken=****]";
        }
    }

    record PasswordResetRequest(@NotBlank @Size(max = 200) String token, @NotBlank @Size(max = 1024) String newPassword) {

        @Override
        public String toString() {
            return "PasswordResetRequest[****]";
        }
    }

    record SecondFactorCodeRequest(@Size(max = 10) String code, @Size(max = 40) String recoveryCode) {

        @Override
        public String toString() {
            return "SecondFactorCodeRequest[****]";
        }
    }

    record SecondFactorPolicyRequest(@jakarta.validation.constraints.NotNull Boolean required) {
    }

    record ChangePasswordRequest(@NotBlank @Size(max = 1024) String currentPassword,
            @NotBlank @Size(max = 1024) String newPassword) {

        @Override
        public String toString() {
            return "ChangePasswordRequest[****]";
        }
    }

    record TokenResponse(String accessToken, String tokenType, long expiresIn, String refreshToken,
            Instant refreshTokenExpiresAt, MeResponse user, boolean secondFactorEnrolmentRequired) {

        static TokenResponse of(TokenPair pair, Clock clock) {
            return new TokenResponse(pair.accessToken(), "Bearer",
                    Math.max(0, Duration.between(clock.instant(), pair.accessTokenExpiresAt()).toSeconds()),
                    pair.refreshToken(), pair.refreshTokenExpiresAt(), MeResponse.of(pair.principal()),
                    pair.secondFactorEnrolmentRequired());
        }
    }

    record MeResponse(UUID userId, UUID tenantId, String email, String kind, UUID customerId, List<String> roles,
            List<String> permissions) {

        static MeResponse of(Principal principal) {
            return new MeResponse(principal.userId(), principal.tenant().value(), principal.email(),
                    principal.kind().name().toLowerCase(Locale.ROOT), principal.customerId(),
                    List.copyOf(principal.roles()), principal.permissions().stream().map(Permission::value).toList());
        }
    }

    record CreateUserRequest(
            @Schema(example = "jane@example.com") @NotBlank @Email @Size(max = 254) String email,
            @Size(max = 200) String displayName,
            @NotBlank @Size(max = 1024) String password,
            Set<UUID> roleIds) {

        @Override
        public String toString() {
            return "CreateUserRequest[email=" + email + ", password=****]";
        }
    }

    record ChangeRolesRequest(@NotNull Set<UUID> roleIds, @NotNull @PositiveOrZero Long version) {
    }

    record ChangeStatusRequest(@NotNull @Pattern(regexp = "active|disabled") String status,
            @NotNull @PositiveOrZero Long version) {
    }

    record UserResponse(UUID id, String email, String displayName, String kind, UUID customerId, String status,
            Set<UUID> roleIds, long version) {

        static UserResponse of(User user) {
            return new UserResponse(user.id(), user.email(), user.displayName(), user.kind().name().toLowerCase(Locale.ROOT),
                    user.customerId(), user.status().name().toLowerCase(Locale.ROOT), user.roleIds(), user.version());
        }
    }

    record RoleRequest(
            @Schema(example = "billing-lead") @Size(max = 63) String name,
            @Size(max = 500) String description,
            @NotNull Set<@NotBlank String> permissions,
            @PositiveOrZero Long version) {
    }

    record RoleResponse(UUID id, String name, String description, List<String> permissions, boolean builtIn,
            boolean requiresSecondFactor, long version) {

        static RoleResponse of(Role role) {
            return new RoleResponse(role.id(), role.name(), role.description(),
                    role.permissions().stream().map(Permission::value).toList(), role.builtIn(),
                    role.requiresSecondFactor(), role.version());
        }
    }

    record Page<T>(List<T> items, String nextCursor) {
    }
}
