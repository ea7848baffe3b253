package com.securecom.server.account;

import com.securecom.server.audit.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** Counts and logs each registration in the {@link AuditLog}. */
@ApplicationScoped
public class RegistrationAudit {
  private AuditLog audit;

  protected RegistrationAudit() {}

  @Inject
  public RegistrationAudit(AuditLog audit) {
    this.audit = audit;
  }

  void registered(@Observes AccountRegistered registration) {
    audit.registered(registration.username(), registration.clientAddress());
  }
}
