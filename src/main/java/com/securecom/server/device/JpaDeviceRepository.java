package com.securecom.server.device;

import com.securecom.server.persistence.Database;
import com.securecom.server.persistence.Transaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.List;

@ApplicationScoped
public class JpaDeviceRepository implements DeviceRepository {
  private Database database;

  protected JpaDeviceRepository() {}

  @Inject
  public JpaDeviceRepository(Database database) {
    this.database = database;
  }

  /** Flushes at once, so that rows which refer to the device may follow in the same transaction. */
  @Override
  public boolean add(Transaction tx, DeviceAddress device, long createdAt) {
    return add(tx, device, createdAt, null);
  }

  @Override
  public boolean add(Transaction tx, DeviceAddress device, long createdAt, String name) {
    EntityManager em = tx.entityManager();
    if (em.find(DeviceRecord.class, new DeviceRecord.Key(device.username(), device.deviceId()))
        != null) {
      return false;
    }
    em.persist(new DeviceRecord(device, createdAt, name));
    em.flush();
    return true;
  }

  @Override
  public boolean seen(DeviceAddress device, long at) {
    return database.inTransaction(
            em ->
                em.createQuery(
                        "UPDATE DeviceRecord d SET d.lastSeenAt = :at"
                            + " WHERE d.username = :u AND d.deviceId = :id")
                    .setParameter("at", at)
                    .setParameter("u", device.username())
                    .setParameter("id", device.deviceId())
                    .executeUpdate())
        == 1;
  }

  /**
   * {@code SELECT ... FOR UPDATE} on the transaction's own connection (a pessimistic lock makes
   * EclipseLink begin the transaction there). A removal waits for the lock, on H2 up to its lock
   * timeout (2 s by default); the writes it guards take milliseconds.
   */
  @Override
  public boolean lock(Transaction tx, DeviceAddress device) {
    return tx.entityManager()
            .find(
                DeviceRecord.class,
                new DeviceRecord.Key(device.username(), device.deviceId()),
                LockModeType.PESSIMISTIC_WRITE)
        != null;
  }

  @Override
  public List<Integer> deviceIds(String username) {
    return database.inTransaction(em -> deviceIds(em, username));
  }

  private static List<Integer> deviceIds(EntityManager em, String username) {
    return em.createQuery(
            "SELECT d.deviceId FROM DeviceRecord d WHERE d.username = :u ORDER BY d.deviceId",
            Integer.class)
        .setParameter("u", username)
        .getResultList();
  }

  @Override
  public List<Device> devices(String username) {
    return database.inTransaction(
        em ->
            em
                .createQuery(
                    "SELECT d FROM DeviceRecord d WHERE d.username = :u ORDER BY d.deviceId",
                    DeviceRecord.class)
                .setParameter("u", username)
                .getResultList()
                .stream()
                .map(d -> new Device(d.deviceId, d.createdAt, d.lastSeenAt, d.name))
                .toList());
  }

  /** Deletes through SQL so that the schema's cascades delete what each device owns. */
  @Override
  public List<Integer> keepOnly(Transaction tx, String username, Collection<Integer> kept) {
    EntityManager em = tx.entityManager();
    List<Integer> removed =
        deviceIds(em, username).stream().filter(id -> !kept.contains(id)).toList();
    for (int id : removed) {
      em.createNativeQuery("DELETE FROM device WHERE username = ?1 AND device_id = ?2")
          .setParameter(1, username)
          .setParameter(2, id)
          .executeUpdate();
    }
    return removed;
  }
}
