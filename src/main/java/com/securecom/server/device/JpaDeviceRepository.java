package com.securecom.server.device;

import com.securecom.server.persistence.Database;
import com.securecom.server.persistence.Transaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
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
    EntityManager em = tx.entityManager();
    if (em.find(DeviceRecord.class, new DeviceRecord.Key(device.username(), device.deviceId()))
        != null) {
      return false;
    }
    em.persist(new DeviceRecord(device, createdAt));
    em.flush();
    return true;
  }

  @Override
  public List<Integer> deviceIds(String username) {
    return database.inTransaction(
        em ->
            em.createQuery(
                    "SELECT d.deviceId FROM DeviceRecord d WHERE d.username = :u ORDER BY d.deviceId",
                    Integer.class)
                .setParameter("u", username)
                .getResultList());
  }
}
