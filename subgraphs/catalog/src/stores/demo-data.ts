import { merchants } from '@sky/demo-data';
import { parseMinute } from '../domain/business-hours.ts';
import { drawDishPicture, drawLogo } from '../domain/demo-pictures.ts';
import { processImage, type ImagePurpose } from '../domain/images.ts';
import type { CatalogPrisma } from './index.ts';
import type { ObjectStorage } from './object-storage.ts';

const ISO_DAYS = [1, 2, 3, 4, 5, 6, 7];

/**
 * Writes the catalog slice of the demo dataset (ids from @sky/demo-data, so the other subgraphs'
 * slices line up); does nothing when it is already there. Merchants are switched OPEN and keep
 * their dataset hours every day in Asia/Shanghai. Dishes keep their dataset `dailyStock` with no
 * stock rows, i.e. nothing reserved yet. With an image store, every dish, set meal and merchant
 * gets a picture drawn from its name (domain/demo-pictures.ts) with its thumbnail, stored as an
 * upload's would be; without one they have none.
 */
export async function seedCatalogDemoData(subgraph: {
  prisma: CatalogPrisma;
  images?: ObjectStorage | null;
}): Promise<boolean> {
  const { prisma } = subgraph;
  if ((await prisma.merchant.count()) > 0) return false;
  const storage = subgraph.images ?? null;
  const none = { imageKey: null, thumbnailKey: null };
  const picture = async (name: string, purpose: ImagePurpose) => {
    if (!storage) return none;
    const bytes = purpose === 'MERCHANT_LOGO' ? await drawLogo(name) : await drawDishPicture(name);
    const processed = (await processImage(bytes, purpose))!;
    const keys = {
      imageKey: `images/demo/${name}.webp`,
      thumbnailKey: `images/demo/${name}-thumb.webp`,
    };
    await storage.put(keys.imageKey, bytes, 'image/webp');
    await storage.put(keys.thumbnailKey, processed.thumbnail, 'image/webp');
    return keys;
  };
  // Drawn one after another: a few dozen small images, and the seed shares its machine.
  const pictures = new Map<string, { imageKey: string | null; thumbnailKey: string | null }>();
  for (const m of merchants) {
    pictures.set(m.id, await picture(`logo-${m.id.slice(0, 8)}`, 'MERCHANT_LOGO'));
    for (const d of m.dishes) pictures.set(d.id, await picture(d.picture, 'DISH_IMAGE'));
    for (const sm of m.setMeals) pictures.set(sm.id, await picture(sm.picture, 'SET_MEAL_IMAGE'));
  }
  const pictureOf = (id: string) => pictures.get(id) ?? none;
  // Creation times one second apart in dataset order, so "creation order" lists read like the
  // dataset rather than falling back to the ids of rows written in the same instant.
  const start = Date.now() - 24 * 3600 * 1000;
  let tick = 0;
  const nextCreatedAt = () => new Date(start + 1000 * tick++);

  await prisma.$transaction(async (tx) => {
    await tx.merchant.createMany({
      data: merchants.map((m) => ({
        id: m.id,
        name: m.name,
        description: m.description,
        phone: m.phone,
        address: m.address,
        latitude: m.latitude,
        longitude: m.longitude,
        status: 'OPEN' as const,
        timezone: 'Asia/Shanghai',
        deliveryRadiusMeters: m.deliveryRadiusMeters,
        minimumOrderAmount: m.minimumOrderAmount,
        deliveryFeeAmount: m.deliveryFeeAmount,
        packingFeePerItemAmount: m.packingFeePerItemAmount,
        logoKey: pictureOf(m.id).imageKey,
        logoThumbnailKey: pictureOf(m.id).thumbnailKey,
        currency: 'CNY',
        createdAt: nextCreatedAt(),
      })),
    });
    await tx.businessHours.createMany({
      data: merchants.flatMap((m) =>
        ISO_DAYS.map((dayOfWeek) => ({
          merchantId: m.id,
          dayOfWeek,
          opensAtMinute: parseMinute(m.hours.opensAt),
          closesAtMinute: parseMinute(m.hours.closesAt),
        })),
      ),
    });
    await tx.category.createMany({
      data: merchants.flatMap((m) =>
        m.categories.map((c) => ({ ...c, merchantId: m.id, createdAt: nextCreatedAt() })),
      ),
    });
    await tx.dish.createMany({
      data: merchants.flatMap((m) =>
        m.dishes.map((d) => ({
          id: d.id,
          merchantId: m.id,
          categoryId: d.categoryId,
          name: d.name,
          priceAmount: d.priceAmount,
          description: d.description,
          ...pictureOf(d.id),
          dailyStock: d.dailyStock,
          createdAt: nextCreatedAt(),
        })),
      ),
    });
    await tx.dishFlavor.createMany({
      data: merchants.flatMap((m) =>
        m.dishes.flatMap((d) =>
          d.flavors.map((f, index) => ({
            dishId: d.id,
            name: f.name,
            options: f.options,
            sortOrder: index,
          })),
        ),
      ),
    });
    await tx.setMeal.createMany({
      data: merchants.flatMap((m) =>
        m.setMeals.map((s) => ({
          id: s.id,
          merchantId: m.id,
          categoryId: s.categoryId,
          name: s.name,
          priceAmount: s.priceAmount,
          description: s.description,
          ...pictureOf(s.id),
          createdAt: nextCreatedAt(),
        })),
      ),
    });
    await tx.setMealItem.createMany({
      data: merchants.flatMap((m) =>
        m.setMeals.flatMap((s) =>
          s.items.map((item, index) => ({
            setMealId: s.id,
            dishId: item.dishId,
            merchantId: m.id,
            copies: item.copies,
            sortOrder: index,
          })),
        ),
      ),
    });
  });
  return true;
}
