package io.hostrail.api.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.hostrail.api.architecture.fixtures.WallClockReader;
import io.hostrail.api.architecture.fixtures.ReactiveBlocker;
import io.hostrail.api.config.ClockConfiguration;
import io.hostrail.archfixture.FrameworkLeakingModel;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The dependency rule and the house rules, checked on the compiled main code of every module on this
 * classpath (domain, adapters, web-client, api, embedded servers). Each rule is also run against a
 * fixture that breaks it, to prove the rule bites.
 */
class ArchitectureTest {

    private static final String[] OUTER_LAYERS = {
        "io.hostrail.api..", "io.hostrail.adapters..", "io.hostrail.webclient..", "io.hostrail.infra.."};

    /** The core: every Hostrail package that is not one of the outer modules. */
    static final DescribedPredicate<JavaClass> IN_DOMAIN = new DescribedPredicate<>("in the domain module") {
        @Override
        public boolean test(JavaClass javaClass) {
            String name = javaClass.getPackageName();
            return name.startsWith("io.hostrail.") && !name.startsWith("io.hostrail.api")
                    && !name.startsWith("io.hostrail.adapters") && !name.startsWith("io.hostrail.webclient")
                    && !name.startsWith("io.hostrail.infra");
        }
    };

    private static final DescribedPredicate<JavaClass> DOMAIN_MAY_USE = new DescribedPredicate<>(
            "java.., javax.crypto.., reactor.., org.reactivestreams.. or the domain itself") {
        @Override
        public boolean test(JavaClass dependency) {
            String name = dependency.getPackageName();
            // javax.crypto is the JDK's own (HMAC for TOTP), not a framework.
            return name.startsWith("java.") || name.startsWith("javax.crypto") || name.startsWith("reactor.")
                    || name.startsWith("org.reactivestreams")
                    || dependency.isPrimitive() || dependency.isArray() && test(dependency.getBaseComponentType())
                    || IN_DOMAIN.test(dependency);
        }
    };

    static final ArchRule DOMAIN_IS_PLAIN_JAVA_AND_REACTOR = classes().that(IN_DOMAIN)
            .should().onlyDependOnClassesThat(DOMAIN_MAY_USE)
            .because("the core imports no framework (DESIGN.md, dependency rule)");

    static final ArchRule ADAPTERS_DO_NOT_USE_WEB_CLIENTS = noClasses().that().resideInAPackage("io.hostrail.adapters..")
            .should().dependOnClassesThat().resideInAPackage("io.hostrail.webclient..")
            .because("driven adapters never depend on each other; api wires them");

    static final ArchRule WEB_CLIENTS_DO_NOT_USE_ADAPTERS = noClasses().that().resideInAPackage("io.hostrail.webclient..")
            .should().dependOnClassesThat().resideInAPackage("io.hostrail.adapters..")
            .because("driven adapters never depend on each other; api wires them");

    static final ArchRule ONLY_THE_CLOCK_BEAN_READS_THE_WALL_CLOCK = noClasses()
            .that().doNotHaveFullyQualifiedName(ClockConfiguration.class.getName())
            .should(readTheWallClock())
            .because("time comes from the injected Clock so tests can move it");

    static final ArchRule MAIN_CODE_NEVER_BLOCKS = noClasses().should(callAReactiveBlockingMethod())
            .because("a block() on an event loop stalls every request sharing it");

    private static JavaClasses mainCode;

    @BeforeAll
    static void importMainCode() {
        // Sibling modules arrive as classes directories or as hostrail-*.jar, depending on the Maven phase.
        Pattern hostrailJar = Pattern.compile(".*/hostrail-[^/]*\\.jar.*");
        mainCode = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // A module's test-jar (web-client's fakes, shared with api's tests) is test code, not main code.
                .withImportOption(location -> !location.isJar()
                        || location.matches(hostrailJar) && !location.contains("-tests.jar"))
                .importPackages("io.hostrail");
    }

    @Test
    void seesTheClassesOfEveryModule() {
        assertThat(mainCode.contain("io.hostrail.shared.model.Money")).as("domain").isTrue();
        assertThat(mainCode.contain("io.hostrail.adapters.kafka.OutboxRelay")).as("adapters").isTrue();
        assertThat(mainCode.contain("io.hostrail.api.HostrailApplication")).as("api").isTrue();
        assertThat(mainCode.contain("io.hostrail.infra.embedded.EmbeddedStack")).as("infra").isTrue();
    }

    @Test
    @DisplayName("the domain depends only on java, reactor and itself")
    void domainIsPlainJavaAndReactor() {
        DOMAIN_IS_PLAIN_JAVA_AND_REACTOR.check(mainCode);
    }

    @Test
    @DisplayName("adapters and web-client never depend on each other")
    void drivenAdaptersAreIndependent() {
        ADAPTERS_DO_NOT_USE_WEB_CLIENTS.allowEmptyShould(true).check(mainCode);
        WEB_CLIENTS_DO_NOT_USE_ADAPTERS.allowEmptyShould(true).check(mainCode);
    }

    @Test
    @DisplayName("no wall-clock reads outside the one Clock bean")
    void noWallClockOutsideTheClockBean() {
        ONLY_THE_CLOCK_BEAN_READS_THE_WALL_CLOCK.check(mainCode);
    }

    @Test
    @DisplayName("no block() in main code")
    void noBlockingInMainCode() {
        MAIN_CODE_NEVER_BLOCKS.check(mainCode);
    }

    @Test
    @DisplayName("the domain has no outward arrows to api, adapters, web-client or infra")
    void domainDoesNotPointOutwards() {
        noClasses().that(IN_DOMAIN).should().dependOnClassesThat().resideInAnyPackage(OUTER_LAYERS).check(mainCode);
    }

    /** Each rule, run against a class that breaks it, reports that class. */
    @Nested
    class RulesBite {

        private final JavaClasses fixtures = new ClassFileImporter()
                .importClasses(FrameworkLeakingModel.class, WallClockReader.class, ReactiveBlocker.class);

        @Test
        void aDomainClassUsingSpringIsReported() {
            assertThat(DOMAIN_IS_PLAIN_JAVA_AND_REACTOR.evaluate(fixtures).getFailureReport().getDetails())
                    .anyMatch(line -> line.contains(FrameworkLeakingModel.class.getName()) && line.contains("springframework"));
        }

        @Test
        void aWallClockReadIsReported() {
            assertThat(ONLY_THE_CLOCK_BEAN_READS_THE_WALL_CLOCK.evaluate(fixtures).getFailureReport().getDetails())
                    .anyMatch(line -> line.contains("Instant.now()"))
                    .anyMatch(line -> line.contains("System.currentTimeMillis()"))
                    .anyMatch(line -> line.contains("LocalDate.now()"));
        }

        @Test
        void aBlockCallIsReported() {
            assertThat(MAIN_CODE_NEVER_BLOCKS.evaluate(fixtures).getFailureReport().getDetails())
                    .anyMatch(line -> line.contains("Mono.block()"))
                    .anyMatch(line -> line.contains("Flux.blockLast()"));
        }
    }

    private static final Set<String> WALL_CLOCK_TYPES = Set.of("java.time.Instant", "java.time.LocalDate",
            "java.time.LocalDateTime", "java.time.LocalTime", "java.time.OffsetDateTime", "java.time.ZonedDateTime",
            "java.time.Year", "java.time.YearMonth");

    private static ArchCondition<JavaClass> readTheWallClock() {
        return callMatching("read the wall clock", call -> {
            String owner = call.getTargetOwner().getName();
            String method = call.getName();
            boolean takesClock = call.getTarget().getRawParameterTypes().stream()
                    .anyMatch(type -> type.getName().equals("java.time.Clock"));
            return WALL_CLOCK_TYPES.contains(owner) && method.equals("now") && !takesClock
                    || owner.equals("java.lang.System") && method.equals("currentTimeMillis")
                    || owner.equals("java.time.Clock") && (method.equals("systemUTC") || method.equals("systemDefaultZone"));
        });
    }

    private static ArchCondition<JavaClass> callAReactiveBlockingMethod() {
        return callMatching("call a blocking Reactor method", call -> {
            String owner = call.getTargetOwner().getName();
            String method = call.getName();
            return owner.equals("reactor.core.publisher.Mono") && (method.equals("block") || method.equals("blockOptional"))
                    || owner.equals("reactor.core.publisher.Flux") && (method.equals("blockFirst")
                            || method.equals("blockLast") || method.equals("toIterable") || method.equals("toStream"));
        });
    }

    private static ArchCondition<JavaClass> callMatching(String description, java.util.function.Predicate<JavaMethodCall> matches) {
        return new ArchCondition<>(description) {
            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                for (JavaMethodCall call : javaClass.getMethodCallsFromSelf()) {
                    if (matches.test(call)) {
                        events.add(SimpleConditionEvent.satisfied(call, call.getDescription()));
                    }
                }
            }
        };
    }
}
