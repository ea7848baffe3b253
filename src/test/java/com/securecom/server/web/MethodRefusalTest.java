package com.securecom.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * HEAD and OPTIONS never reach a resource (a HEAD ran the GET: it took link messages and one-time
 * prekeys), and a 405 names only the methods a path answers (docs/protocol.md, REST).
 */
class MethodRefusalTest {
  /** The method a request has after the filter ran on one sent with {@code method}. */
  private static String routedAs(String method) {
    AtomicReference<String> current = new AtomicReference<>(method);
    ContainerRequestContext request =
        (ContainerRequestContext)
            Proxy.newProxyInstance(
                MethodRefusalTest.class.getClassLoader(),
                new Class<?>[] {ContainerRequestContext.class},
                (proxy, called, args) ->
                    switch (called.getName()) {
                      case "getMethod" -> current.get();
                      case "setMethod" -> {
                        current.set((String) args[0]);
                        yield null;
                      }
                      default -> throw new UnsupportedOperationException(called.getName());
                    });
    new HeadAndOptionsFilter().filter(request);
    return current.get();
  }

  @Test
  void headAndOptions_areRoutedAsAMethodNoResourceHas() {
    assertThat(routedAs("HEAD")).isEqualTo(HeadAndOptionsFilter.REFUSED);
    assertThat(routedAs("OPTIONS")).isEqualTo(HeadAndOptionsFilter.REFUSED);
  }

  @Test
  void otherMethods_areRoutedAsSent() {
    for (String method : new String[] {"GET", "POST", "PUT", "DELETE", "PATCH"}) {
      assertThat(routedAs(method)).isEqualTo(method);
    }
  }

  @Test
  void theFilter_runsBeforeRouting() {
    assertThat(HeadAndOptionsFilter.class).hasAnnotation(Provider.class);
    assertThat(HeadAndOptionsFilter.class).hasAnnotation(PreMatching.class);
  }

  @Test
  void aMethodThePathLacks_answers405_allowingOnlyItsMethods_withoutHeadOrOptions() {
    NotAllowedException asJerseyThrowsIt =
        new NotAllowedException(
            Response.status(405).allow("GET", "HEAD", "OPTIONS", "PUT").build());

    Response response = new MethodNotAllowedMapper().toResponse(asJerseyThrowsIt);

    assertThat(response.getStatus()).isEqualTo(405);
    assertThat(response.getMediaType()).isEqualTo(Problem.MEDIA_TYPE);
    assertThat(response.getEntity())
        .isEqualTo(
            new Problem(
                "about:blank", "Method Not Allowed", 405, "http_405", "Method Not Allowed", null));
    assertThat(response.getHeaderString("Allow")).isEqualTo("GET, PUT");
  }

  @Test
  void theMapper_isAProviderTheWarScanFinds() {
    assertThat(MethodNotAllowedMapper.class).hasAnnotation(Provider.class);
  }
}
