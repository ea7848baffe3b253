package com.securecom.loadgen.plot;

/** Which latency of a run the y axis shows. */
public enum Metric {
  P50("p50"),
  P99("p99"),
  P999("p99.9"),
  MAX("max");

  private final String label;

  Metric(String label) {
    this.label = label;
  }

  /** As axis titles write it: {@code p99}, {@code p99.9}... */
  public String label() {
    return label;
  }
}
