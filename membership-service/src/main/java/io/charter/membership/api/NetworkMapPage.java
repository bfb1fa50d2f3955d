package io.charter.membership.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The network map page: static HTML, CSS and JavaScript under {@code classpath:/static/map/}, served at
 * {@code /map/}. The files hold no data; the page draws what {@code GET /api/v1/network-map} answers, and
 * that call is authenticated like every API call (docs/membership-service.md, "The network map"). The page
 * loads nothing from elsewhere: its Content-Security-Policy allows this origin only.
 */
@Configuration(proxyBeanMethods = false)
public class NetworkMapPage implements WebMvcConfigurer {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " connect-src 'self'; img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/map", "/map/");
        registry.addViewController("/map/").setViewName("forward:/map/index.html");
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
                response.setHeader("X-Content-Type-Options", "nosniff");
                response.setHeader("Referrer-Policy", "no-referrer");
                response.setHeader("Cache-Control", "no-store");
                return true;
            }
        }).addPathPatterns("/map", "/map/", "/map/**");
    }
}
