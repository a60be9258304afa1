package io.hostrail.archfixture;

/**
 * Breaks the dependency rule on purpose, for ArchitectureTest.RulesBite: its package counts as the
 * domain (it is outside api, adapters, webclient and infra), and it uses Spring.
 */
public class FrameworkLeakingModel {

    public org.springframework.util.StringUtils leak() {
        return null;
    }
}
