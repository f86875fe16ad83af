import type { Viewer } from '@sky/auth';
import { conflict, domainError, ErrorCode, forbidden, notFound } from '@sky/errors';
import type { Delivery, Rider } from '../stores/index.ts';
import type { DispatchSettings } from '../config.ts';
import { riderEvent } from '../domain/delivery-events.ts';
import { RIDER_STEPS, riderStepOutcome, type RiderStep } from '../domain/rider-steps.ts';
import { pointOrNull } from '@sky/geo';
import type { RunInTransaction, TxStores } from '../stores/tx-stores.ts';
import {
  completeDelivery,
  etaFields,
  offerExpiryKey,
  offerToNextRider,
  scheduleAutoComplete,
} from './dispatch.ts';

const invalidState = (message: string) => domainError(ErrorCode.INVALID_STATE_TRANSITION, message);

/**
 * What the signed-in rider does with deliveries: answer offers and carry out the assigned one.
 * Each action locks the delivery, checks ownership and state against what it read, and writes the
 * change with its event in the same transaction.
 */
export class DeliveryActions {
  constructor(
    private readonly viewer: Viewer,
    private readonly run: RunInTransaction,
    private readonly settings: DispatchSettings,
  ) {}

  /** The locked delivery and the viewer's rider profile (null when the viewer has none). */
  private async load(
    stores: TxStores,
    deliveryId: string,
  ): Promise<{ delivery: Delivery; rider: Rider | null }> {
    const delivery = await stores.deliveries.lock(deliveryId);
    if (!delivery) throw notFound('Delivery');
    return { delivery, rider: await stores.riders.findByUserId(this.viewer.userId) };
  }

  /** The offered rider takes the delivery: ASSIGNED, rider BUSY, `delivery.assigned`. */
  accept(deliveryId: string): Promise<Delivery> {
    return this.run(async (stores) => {
      const { delivery, rider } = await this.load(stores, deliveryId);
      if (!rider) throw forbidden('This delivery was not offered to you.');
      if (delivery.riderId === rider.id) return delivery;
      const offer = await stores.offers.findFor(delivery.id, rider.id);
      if (!offer) throw forbidden('This delivery was not offered to you.');
      const now = new Date();
      if (offer.response !== 'PENDING' || delivery.status !== 'OFFERED') {
        throw invalidState(`The offer is no longer open (${offer.response.toLowerCase()}).`);
      }
      if (offer.expiresAt.getTime() <= now.getTime()) {
        throw invalidState('The offer has lapsed.');
      }
      if (!(await stores.riders.takeDelivery(rider.id))) {
        const current = await stores.riders.find(rider.id);
        throw current?.status === 'BUSY'
          ? conflict('You are already carrying a delivery.')
          : invalidState('Go online before accepting a delivery.');
      }
      await stores.offers.answer(offer.id, 'ACCEPTED', now);
      await stores.outbox.cancelJob(offerExpiryKey(offer.id));
      const position = pointOrNull(rider.latitude, rider.longitude);
      // `activeRiderId` is unique: a second active delivery for this rider fails here (CONFLICT).
      const assigned = await stores.deliveries.update(delivery, {
        status: 'ASSIGNED',
        riderId: rider.id,
        activeRiderId: rider.id,
        assignedAt: now,
        riderLatitude: position?.latitude ?? null,
        riderLongitude: position?.longitude ?? null,
        riderLocationAt: position ? rider.lastLocationAt : null,
        ...etaFields(delivery, 'ASSIGNED', position, now, this.settings),
      });
      await stores.outbox.append(riderEvent('delivery.assigned', assigned, rider, now));
      return assigned;
    });
  }

  /** The offered rider turns the delivery down; dispatch moves on to the next rider. */
  decline(deliveryId: string): Promise<{ deliveryId: string; rider: Rider }> {
    return this.run(async (stores) => {
      const { delivery, rider } = await this.load(stores, deliveryId);
      const offer = rider ? await stores.offers.findFor(delivery.id, rider.id) : null;
      if (!rider || !offer) throw forbidden('This delivery was not offered to you.');
      if (offer.response === 'DECLINED') return { deliveryId: delivery.id, rider };
      if (offer.response !== 'PENDING') {
        throw invalidState(`The offer is no longer open (${offer.response.toLowerCase()}).`);
      }
      const now = new Date();
      await stores.offers.answer(offer.id, 'DECLINED', now);
      await stores.outbox.cancelJob(offerExpiryKey(offer.id));
      if (delivery.status === 'OFFERED') {
        await offerToNextRider(stores, delivery, this.settings, now);
      }
      return { deliveryId: delivery.id, rider };
    });
  }

  arrivedAtMerchant(deliveryId: string): Promise<Delivery> {
    return this.step(deliveryId, 'arrivedAtMerchant');
  }

  pickedUp(deliveryId: string): Promise<Delivery> {
    return this.step(deliveryId, 'pickedUp');
  }

  delivered(deliveryId: string): Promise<Delivery> {
    return this.step(deliveryId, 'delivered');
  }

  /** One step of the assigned rider, in order; a repeat of the step just taken changes nothing. */
  private step(deliveryId: string, step: RiderStep): Promise<Delivery> {
    return this.run(async (stores) => {
      const { delivery, rider } = await this.load(stores, deliveryId);
      if (!rider || delivery.riderId !== rider.id) {
        throw forbidden('Only the rider assigned to this delivery can do this.');
      }
      const outcome = riderStepOutcome(delivery.status, step);
      if (outcome === 'repeat') return delivery;
      if (outcome === 'refuse') {
        throw invalidState(
          `A delivery that is ${delivery.status} cannot move to ${RIDER_STEPS[step].to}.`,
        );
      }
      const now = new Date();
      const pickup = { latitude: delivery.pickupLatitude, longitude: delivery.pickupLongitude };
      switch (step) {
        case 'arrivedAtMerchant':
          return stores.deliveries.update(delivery, {
            status: 'ARRIVED_AT_MERCHANT',
            arrivedAtMerchantAt: now,
            ...etaFields(delivery, 'ARRIVED_AT_MERCHANT', pickup, now, this.settings),
          });
        case 'pickedUp': {
          // The rider is at the merchant when picking up: the ETA starts from there.
          const updated = await stores.deliveries.update(delivery, {
            status: 'PICKED_UP',
            pickedUpAt: now,
            ...etaFields(delivery, 'PICKED_UP', pickup, now, this.settings),
          });
          await stores.outbox.append(riderEvent('delivery.picked_up', updated, rider, now));
          await scheduleAutoComplete(stores, updated, this.settings, now);
          return updated;
        }
        case 'delivered':
          return completeDelivery(stores, delivery, rider, 'RIDER', this.settings, now);
      }
    });
  }
}
