package io.charter.membership.security;

import io.charter.membership.Caller;
import io.charter.membership.ErrorCode;
import io.charter.membership.MembershipCore;
import io.charter.membership.MembershipException;
import io.charter.membership.api.PresentedCertificate;
import io.charter.membership.app.MembershipProperties;
import java.time.Clock;
import java.util.List;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registers the {@link AuthenticationFilter} in front of everything and lets controllers declare a
 * {@link Caller} or {@link PresentedCertificate} parameter.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration implements WebMvcConfigurer {

    static {
        // Resolved from the authenticated request, not from parameters: keep them out of the OpenAPI document.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class, PresentedCertificate.class);
    }

    @Bean
    FilterRegistrationBean<AuthenticationFilter> authenticationFilter(
            MembershipCore core, JsonMapper json, Clock clock, MembershipProperties properties) {
        AuthenticationFilter filter = new AuthenticationFilter(core, json, clock,
                properties.http().maxRequestBody().toBytes(), properties.auth().tokenMaxSkew());
        FilterRegistrationBean<AuthenticationFilter> registration = new FilterRegistrationBean<>(filter);
        // After Boot's request observation filter (so that refused requests are measured too).
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new AttributeResolver(Caller.class, AuthenticationFilter.CALLER_ATTRIBUTE));
        resolvers.add(new AttributeResolver(PresentedCertificate.class, AuthenticationFilter.PRESENTED_ATTRIBUTE));
    }

    private record AttributeResolver(Class<?> type, String attribute) implements HandlerMethodArgumentResolver {

        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return parameter.getParameterType() == type;
        }

        @Override
        public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
                                      NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
            Object value = webRequest.getAttribute(attribute, RequestAttributes.SCOPE_REQUEST);
            if (value == null) {
                throw new MembershipException(ErrorCode.AUTHENTICATION_FAILED, "This call was not authenticated");
            }
            return value;
        }
    }
}
