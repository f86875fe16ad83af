import type { Viewer } from '@sky/auth';
import { domainError, ErrorCode, notFound, rateLimited } from '@sky/errors';
import type { Rider } from '../stores/index.ts';
import type { DispatchSettings } from '../config.ts';
import { parseLocation, parseRecordedAt, parseVehicle } from '../domain/inputs.ts';
import type { LatLng } from '@sky/geo';
import type { RunInTransaction, TxStores } from '../stores/tx-stores.ts';
import {
  etaFields,
  offerExpiryKey,
  offerToNextRider,
  wakeWaitingDeliveriesNear,
} from './dispatch.ts';

const invalidState = (message: string) => domainError(ErrorCode.INVALID_STATE_TRANSITION, message);

/** The signed-in rider's shift and position (the shield has checked the RIDER role). */
export class RiderActions {
  constructor(
    private readonly viewer: Viewer,
    private readonly run: RunInTransaction,
    private readonly settings: DispatchSettings,
  ) {}

  private async profile(stores: TxStores): Promise<Rider> {
    const rider = await stores.riders.findByUserId(this.viewer.userId);
    if (!rider) throw notFound('Rider profile (call goOnline first)');
    return rider;
  }

  /** OFFLINE → AVAILABLE at `location`; the profile is created on the first call. */
  goOnline(input: { location: LatLng; vehicle?: string | null }): Promise<Rider> {
    const location = parseLocation(input.location);
    const vehicle = parseVehicle(input.vehicle);
    return this.run(async (stores) => {
      await stores.riders.ensureProfile(this.viewer.userId);
      if (vehicle !== undefined) await stores.riders.setVehicle(this.viewer.userId, vehicle);
      const online = await stores.riders.goOnline(this.viewer.userId, location);
      if (online) {
        await wakeWaitingDeliveriesNear(stores, location, this.settings, new Date());
        return online;
      }
      // Already AVAILABLE or BUSY: nothing to change.
      return this.profile(stores);
    });
  }

  /** AVAILABLE → OFFLINE; an open offer is declined first so dispatch moves on at once. */
  goOffline(): Promise<Rider> {
    return this.run(async (stores) => {
      const rider = await this.profile(stores);
      if (rider.status === 'OFFLINE') return rider;
      if (rider.status === 'BUSY') {
        throw invalidState('A rider carrying a delivery cannot go offline; deliver it first.');
      }
      const now = new Date();
      const offer = await stores.offers.pendingForRider(rider.id);
      if (offer) {
        const delivery = await stores.deliveries.lock(offer.deliveryId);
        if (delivery && (await stores.offers.answer(offer.id, 'DECLINED', now))) {
          await stores.outbox.cancelJob(offerExpiryKey(offer.id));
          if (delivery.status === 'OFFERED') {
            await offerToNextRider(stores, delivery, this.settings, now);
          }
        }
      }
      if (!(await stores.riders.goOffline(rider.id))) {
        // It accepted a delivery concurrently.
        throw invalidState('A rider carrying a delivery cannot go offline; deliver it first.');
      }
      return this.profile(stores);
    });
  }

  /**
   * Stores the rider's position (rate-limited in the database). While the rider carries a
   * delivery, the position joins its track and the delivery's ETA, position and version move on.
   */
  updateLocation(input: { location: LatLng; recordedAt?: Date | null }): Promise<Rider> {
    const location = parseLocation(input.location);
    const recordedAt = parseRecordedAt(input.recordedAt, new Date());
    return this.run(async (stores) => {
      const rider = await this.profile(stores);
      // Lock order: the delivery before the rider (see DeliveryWrites).
      const active = await stores.deliveries.findActiveForRider(rider.id);
      const delivery = active ? await stores.deliveries.lock(active.id) : null;
      const updated = await stores.riders.recordLocation(
        rider.id,
        location,
        this.settings.locationMinIntervalMs,
      );
      if (!updated) {
        const current = await this.profile(stores);
        if (current.status === 'OFFLINE') {
          throw invalidState('An offline rider reports no location; call goOnline first.');
        }
        const seconds = await stores.riders.secondsUntilNextLocation(
          rider.id,
          this.settings.locationMinIntervalMs,
        );
        throw rateLimited(`Too many location updates; send the next in ${seconds} s.`, seconds);
      }
      if (delivery && delivery.activeRiderId === rider.id) {
        const now = new Date();
        await stores.deliveries.appendLocationPoint({
          deliveryId: delivery.id,
          riderId: rider.id,
          location,
          recordedAt,
        });
        await stores.deliveries.update(delivery, {
          riderLatitude: location.latitude,
          riderLongitude: location.longitude,
          riderLocationAt: recordedAt,
          ...etaFields(delivery, delivery.status, location, now, this.settings),
        });
      }
      return updated;
    });
  }
}
