package com.securecom.it.support;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The WAR that {@code mvn package} built, exactly as users deploy it. */
public final class Deployments {
  private Deployments() {}

  public static WebArchive builtWar() {
    String path = System.getProperty("securecom.war", "target/securecom.war");
    File war = new File(path);
    if (!war.isFile()) {
      throw new IllegalStateException(
          "run 'mvn package' first: no WAR at " + war.getAbsolutePath());
    }
    return ShrinkWrap.create(ZipImporter.class, "securecom.war")
        .importFrom(war)
        .as(WebArchive.class);
  }
}
