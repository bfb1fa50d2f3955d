package io.charter.membership.app;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document's header and security schemes (served at /v3/api-docs, browsable at /swagger-ui.html). */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    @Bean
    OpenAPI membershipOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Charter membership service").version("v1")
                        .description("The consortium's certificate authority and index server. Enrollment uses"
                                + " HTTP Basic (enrollment id and secret); every other /api/v1 call a client"
                                + " certificate (mTLS) or a signed 'Authorization: Charter <cert>.<signature>' token"
                                + " with X-Charter-Timestamp. Errors are {code, message, status}."))
                .components(new Components()
                        .addSecuritySchemes("basic", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic"))
                        .addSecuritySchemes("charterToken", new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER).name("Authorization")
                                .description("Charter <base64 DER certificate>.<base64 DER ECDSA signature over"
                                        + " METHOD\\nPATH\\nbase64(sha256(body))\\nTIMESTAMP>, with header"
                                        + " X-Charter-Timestamp (epoch millis, within 5 minutes)"))
                        .addSecuritySchemes("mutualTLS", new SecurityScheme().type(SecurityScheme.Type.MUTUALTLS)))
                .addSecurityItem(new SecurityRequirement().addList("charterToken"))
                .addSecurityItem(new SecurityRequirement().addList("mutualTLS"));
    }
}
