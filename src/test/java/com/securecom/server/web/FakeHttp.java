package com.securecom.server.web;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Just enough of a servlet request and response to run a filter outside a container. */
final class FakeHttp {
  final Map<String, String> headers = new LinkedHashMap<>();
  final ByteArrayOutputStream body = new ByteArrayOutputStream();
  int status = 200;
  boolean passedOn;

  static HttpServletRequest request(String uri, boolean secure) {
    return (HttpServletRequest)
        Proxy.newProxyInstance(
            FakeHttp.class.getClassLoader(),
            new Class<?>[] {HttpServletRequest.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getRequestURI" -> uri;
                  case "getContextPath" -> "";
                  case "isSecure" -> secure;
                  case "getScheme" -> secure ? "https" : "http";
                  default -> null;
                });
  }

  HttpServletResponse response() {
    ServletOutputStream out =
        new ServletOutputStream() {
          @Override
          public boolean isReady() {
            return true;
          }

          @Override
          public void setWriteListener(WriteListener listener) {}

          @Override
          public void write(int b) {
            body.write(b);
          }
        };
    return (HttpServletResponse)
        Proxy.newProxyInstance(
            FakeHttp.class.getClassLoader(),
            new Class<?>[] {HttpServletResponse.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "setHeader", "addHeader" -> headers.put((String) args[0], (String) args[1]);
                case "setStatus" -> status = (Integer) args[0];
                case "setContentType" -> headers.put("Content-Type", (String) args[0]);
                case "getOutputStream" -> {
                  return out;
                }
                default -> {}
              }
              return null;
            });
  }

  String bodyText() {
    return body.toString(StandardCharsets.UTF_8);
  }
}
