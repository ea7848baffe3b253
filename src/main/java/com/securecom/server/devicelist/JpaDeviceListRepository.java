package com.securecom.server.devicelist;

import com.securecom.protocol.devices.SignedDeviceList;
import com.securecom.server.persistence.Database;
import com.securecom.server.persistence.Transaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.Optional;

@ApplicationScoped
public class JpaDeviceListRepository implements DeviceListRepository {
  private Database database;

  protected JpaDeviceListRepository() {}

  @Inject
  public JpaDeviceListRepository(Database database) {
    this.database = database;
  }

  @Override
  public Optional<SignedDeviceList> find(String username) {
    return database.inTransaction(
        em ->
            Optional.ofNullable(em.find(DeviceListRecord.class, username))
                .map(DeviceListRecord::toList));
  }

  @Override
  public long serial(String username) {
    return database.inTransaction(
        em ->
            em.createQuery(
                    "SELECT l.serial FROM DeviceListRecord l WHERE l.username = :u", Long.class)
                .setParameter("u", username)
                .getResultStream()
                .findFirst()
                .orElse(0L));
  }

  /**
   * The first list is an insert, which the primary key lets only one of two racing transactions
   * commit (the other fails at its flush or commit); every later one is an update conditional on
   * the serial it replaces, which changes one row for one of them and none for the other.
   */
  @Override
  public boolean compareAndSet(
      Transaction tx,
      String username,
      long expectedSerial,
      SignedDeviceList list,
      long serial,
      long now) {
    EntityManager em = tx.entityManager();
    if (expectedSerial == 0) {
      if (em.find(DeviceListRecord.class, username) != null) {
        return false;
      }
      em.persist(new DeviceListRecord(username, list, serial, now));
      em.flush();
      return true;
    }
    return em.createQuery(
                "UPDATE DeviceListRecord l SET l.serial = :serial, l.body = :body,"
                    + " l.signature = :signature, l.updatedAt = :now"
                    + " WHERE l.username = :u AND l.serial = :expected")
            .setParameter("serial", serial)
            .setParameter("body", list.body())
            .setParameter("signature", list.signature())
            .setParameter("now", now)
            .setParameter("u", username)
            .setParameter("expected", expectedSerial)
            .executeUpdate()
        == 1;
  }
}
