package dev.entramcp.app.remote;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.util.Map;

/**
 * {@code GET /health}: for load balancers and orchestrators, without authentication. It says only
 * that the process serves HTTP: no version, no configuration, no dependency status.
 */
@Controller("/health")
@Secured(SecurityRule.IS_ANONYMOUS)
class HealthController {

    @Get(produces = MediaType.APPLICATION_JSON)
    Map<String, String> health() {
        return Map.of("status", "UP");
    }
}
