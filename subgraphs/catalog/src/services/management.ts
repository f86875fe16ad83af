import { createHash } from 'node:crypto';
import type { Viewer } from '@sky/auth';
import { MAX_PREP_MINUTES } from '@sky/contracts';
import { badUserInput, notFound, optionalText, requiredText } from '@sky/errors';
import type { Category, CategoryType, Dish, Merchant, SetMeal } from '../stores/index.ts';
import type {
  BusinessHoursInput,
  CreateCategoryInput,
  CreateMerchantInput,
  CreateDishInput,
  CreateSetMealInput,
  MerchantStatus,
  UpdateCategoryInput,
  UpdateDishInput,
  UpdateMerchantInput,
  UpdateSetMealInput,
} from '../__generated__/resolvers-types.ts';
import { assertManages, merchantToManage } from '../permissions.ts';
import { parseMinute, scheduleProblem, type WeeklyInterval } from '../domain/business-hours.ts';
import { isValidPoint } from '@sky/geo';
import type { CatalogStores } from '../stores/index.ts';
import type { ImagePurpose } from '../domain/images.ts';
import type { AttachedImage, ImageUploads } from './images.ts';
import type { DishFields } from '../stores/dish-store.ts';
import type { MerchantSettings, NewMerchant } from '../stores/merchant-store.ts';
import type { SetMealFields, SetMealLineFields } from '../stores/set-meal-store.ts';
import {
  feeAmount,
  flavorChoices,
  integerIn,
  MAX_DAILY_STOCK,
  notNull,
  optionalHttpUrl,
  phoneNumber,
  priceAmount,
  setMealLines,
  timeZoneName,
} from '../domain/inputs.ts';

const MAX_SORT_ORDER = 9_999;
const MAX_PAUSE_MS = 7 * 24 * 3600 * 1000;
const MAX_INTERVALS = 50;

/** Whether an input object carries the field at all (omitted = keep; null = clear). */
const given = <T extends object>(input: T, field: keyof T) => input[field] !== undefined;

/**
 * The shop settings given in `input`, validated (BAD_USER_INPUT naming the field). Shared by
 * createMerchant (required fields are non-null in its input type, optional ones get the column
 * defaults) and updateMerchant (omitted fields stay as they are).
 */
function merchantSettings(
  input: UpdateMerchantInput | CreateMerchantInput,
): Partial<MerchantSettings> {
  const settings: Partial<MerchantSettings> = {};
  if (given(input, 'name')) settings.name = requiredText(notNull(input.name!, 'name'), 'name', 100);
  if (given(input, 'description')) {
    settings.description = optionalText(input.description!, 'description', 1000);
  }
  if (given(input, 'logoUrl')) settings.logoUrl = optionalHttpUrl(input.logoUrl!, 'logoUrl');
  if (given(input, 'phone')) settings.phone = phoneNumber(notNull(input.phone!, 'phone'));
  if (given(input, 'address')) {
    settings.address = requiredText(notNull(input.address!, 'address'), 'address', 200);
  }
  if (given(input, 'location')) {
    const location = notNull(input.location!, 'location');
    if (!isValidPoint(location)) {
      throw badUserInput(
        '"location" must have a latitude in -90..90 and a longitude in -180..180.',
        'location',
      );
    }
    settings.latitude = location.latitude;
    settings.longitude = location.longitude;
  }
  if (given(input, 'timezone')) {
    settings.timezone = timeZoneName(notNull(input.timezone!, 'timezone'));
  }
  if (given(input, 'deliveryRadiusMeters')) {
    settings.deliveryRadiusMeters = integerIn(
      notNull(input.deliveryRadiusMeters!, 'deliveryRadiusMeters'),
      'deliveryRadiusMeters',
      100,
      50_000,
    );
  }
  for (const field of [
    'minimumOrderAmount',
    'deliveryFeeAmount',
    'packingFeePerItemAmount',
  ] as const) {
    if (given(input, field)) settings[field] = feeAmount(notNull(input[field]!, field), field);
  }
  return settings;
}

/** A weekly schedule as given to setBusinessHours or createMerchant, validated. */
function weeklyIntervals(hours: readonly BusinessHoursInput[]): WeeklyInterval[] {
  if (hours.length > MAX_INTERVALS) {
    throw badUserInput(`"hours" may hold at most ${MAX_INTERVALS} intervals.`, 'hours');
  }
  let intervals: WeeklyInterval[];
  try {
    intervals = hours.map((interval) => ({
      dayOfWeek: interval.dayOfWeek,
      opensAtMinute: parseMinute(interval.opensAt),
      closesAtMinute: parseMinute(interval.closesAt),
    }));
  } catch (error) {
    throw badUserInput((error as Error).message, 'hours');
  }
  const problem = scheduleProblem(intervals);
  if (problem) throw badUserInput(problem, 'hours');
  return intervals;
}

/** A client's retry key: taken as given (no trimming), 1 to 128 characters. */
function idempotencyKey(key: string | null | undefined): string | null {
  if (key === null || key === undefined) return null;
  if (key.length < 1 || key.length > 128) {
    throw badUserInput('The idempotency key needs 1 to 128 characters.', 'idempotencyKey');
  }
  return key;
}

/** SHA-256 of a call's normalized input, to tell a retry from another call reusing its key. */
const fingerprint = (normalized: unknown) =>
  createHash('sha256').update(JSON.stringify(normalized)).digest('hex');

/** The two ways an input names a picture (`imageUrl`/`imageUploadId`, or the logo's). */
interface PictureInput {
  imageUrl?: string | null;
  imageUploadId?: string | null;
}

interface PictureColumns {
  imageUrl: string | null;
  imageKey: string | null;
  thumbnailKey: string | null;
}

const dailyStock = (value: number | null) =>
  value === null ? null : integerIn(value, 'dailyStock', 0, MAX_DAILY_STOCK);

/**
 * Menu and shop management (issue 3): merchant staff manage their own merchant, admins any
 * merchant. The shield lets only those two roles in; every operation here first finds the
 * merchant it touches and checks ownership (FORBIDDEN), then validates the input
 * (BAD_USER_INPUT with the field), then lets the stores write (they own the transactions,
 * locks and constraint mapping).
 */
export class CatalogManagement {
  constructor(
    private readonly stores: CatalogStores,
    private readonly images: ImageUploads,
    private readonly viewer: Viewer | null,
    private readonly now: Date,
  ) {}

  // --- categories -------------------------------------------------------------------------

  async createCategory(input: CreateCategoryInput): Promise<Category> {
    const merchant = await this.managedMerchant(input.merchantId);
    return this.stores.categories.create({
      merchantId: merchant.id,
      name: requiredText(input.name, 'name', 64),
      type: input.type,
      sortOrder: integerIn(input.sortOrder ?? 0, 'sortOrder', 0, MAX_SORT_ORDER),
      enabled: input.enabled ?? true,
    });
  }

  async updateCategory(id: string, input: UpdateCategoryInput): Promise<Category> {
    await this.managedCategory(id);
    return this.stores.categories.update(id, {
      ...(given(input, 'name')
        ? { name: requiredText(notNull(input.name!, 'name'), 'name', 64) }
        : {}),
      ...(given(input, 'sortOrder')
        ? {
            sortOrder: integerIn(
              notNull(input.sortOrder!, 'sortOrder'),
              'sortOrder',
              0,
              MAX_SORT_ORDER,
            ),
          }
        : {}),
    });
  }

  async setCategoryEnabled(id: string, enabled: boolean): Promise<Category> {
    await this.managedCategory(id);
    return this.stores.categories.update(id, { enabled });
  }

  async deleteCategory(id: string): Promise<string> {
    await this.managedCategory(id);
    await this.stores.categories.delete(id);
    return id;
  }

  // --- dishes -----------------------------------------------------------------------------

  async createDish(input: CreateDishInput): Promise<Dish> {
    const merchant = await this.managedMerchant(input.merchantId);
    const category = await this.categoryOf(merchant.id, input.categoryId, 'DISH');
    return this.stores.dishes.create(
      merchant.id,
      {
        categoryId: category.id,
        name: requiredText(input.name, 'name', 100),
        priceAmount: priceAmount(input.priceAmount),
        ...(await this.pictureOf(merchant.id, input, 'DISH_IMAGE')),
        description: optionalText(input.description ?? null, 'description', 1000),
        dailyStock: dailyStock(input.dailyStock ?? null),
        onSale: input.onSale ?? false,
      },
      flavorChoices(input.flavors ?? []),
    );
  }

  async updateDish(id: string, input: UpdateDishInput): Promise<Dish> {
    const dish = await this.managedDish(id);
    const fields: Partial<DishFields> = {};
    if (given(input, 'categoryId')) {
      const categoryId = notNull(input.categoryId!, 'categoryId');
      fields.categoryId = (await this.categoryOf(dish.merchantId, categoryId, 'DISH')).id;
    }
    if (given(input, 'name')) fields.name = requiredText(notNull(input.name!, 'name'), 'name', 100);
    if (given(input, 'priceAmount')) {
      fields.priceAmount = priceAmount(notNull(input.priceAmount!, 'priceAmount'));
    }
    Object.assign(fields, await this.pictureChange(dish.merchantId, input, 'DISH_IMAGE'));
    if (given(input, 'description')) {
      fields.description = optionalText(input.description!, 'description', 1000);
    }
    if (given(input, 'dailyStock')) fields.dailyStock = dailyStock(input.dailyStock!);
    const flavors = given(input, 'flavors')
      ? flavorChoices(notNull(input.flavors!, 'flavors'))
      : undefined;
    return this.stores.dishes.update(id, fields, flavors);
  }

  async putDishOnSale(id: string): Promise<Dish> {
    await this.managedDish(id);
    return this.stores.dishes.putOnSale(id);
  }

  async takeDishOffSale(id: string): Promise<{ dish: Dish; setMealsTakenOffSale: SetMeal[] }> {
    await this.managedDish(id);
    return this.stores.dishes.takeOffSale(id);
  }

  async deleteDish(id: string): Promise<string> {
    await this.managedDish(id);
    await this.stores.dishes.delete(id);
    return id;
  }

  // --- set meals --------------------------------------------------------------------------

  async createSetMeal(input: CreateSetMealInput): Promise<SetMeal> {
    const merchant = await this.managedMerchant(input.merchantId);
    const category = await this.categoryOf(merchant.id, input.categoryId, 'SET_MEAL');
    const fields: SetMealFields = {
      categoryId: category.id,
      name: requiredText(input.name, 'name', 100),
      priceAmount: priceAmount(input.priceAmount),
      ...(await this.pictureOf(merchant.id, input, 'SET_MEAL_IMAGE')),
      description: optionalText(input.description ?? null, 'description', 1000),
    };
    const items = await this.linesOf(merchant.id, input.items);
    return this.stores.setMeals.create(
      merchant.id,
      { ...fields, onSale: input.onSale ?? false },
      items,
    );
  }

  async updateSetMeal(id: string, input: UpdateSetMealInput): Promise<SetMeal> {
    const setMeal = await this.managedSetMeal(id);
    const fields: Partial<SetMealFields> = {};
    if (given(input, 'categoryId')) {
      const categoryId = notNull(input.categoryId!, 'categoryId');
      fields.categoryId = (await this.categoryOf(setMeal.merchantId, categoryId, 'SET_MEAL')).id;
    }
    if (given(input, 'name')) fields.name = requiredText(notNull(input.name!, 'name'), 'name', 100);
    if (given(input, 'priceAmount')) {
      fields.priceAmount = priceAmount(notNull(input.priceAmount!, 'priceAmount'));
    }
    Object.assign(fields, await this.pictureChange(setMeal.merchantId, input, 'SET_MEAL_IMAGE'));
    if (given(input, 'description')) {
      fields.description = optionalText(input.description!, 'description', 1000);
    }
    const items = given(input, 'items')
      ? await this.linesOf(setMeal.merchantId, notNull(input.items!, 'items'))
      : undefined;
    return this.stores.setMeals.update(id, fields, items);
  }

  async putSetMealOnSale(id: string): Promise<SetMeal> {
    await this.managedSetMeal(id);
    return this.stores.setMeals.putOnSale(id);
  }

  async takeSetMealOffSale(id: string): Promise<SetMeal> {
    await this.managedSetMeal(id);
    return this.stores.setMeals.takeOffSale(id);
  }

  async deleteSetMeal(id: string): Promise<string> {
    await this.managedSetMeal(id);
    await this.stores.setMeals.delete(id);
    return id;
  }

  // --- shop settings ----------------------------------------------------------------------

  /**
   * A new shop (admins only: the shield lets only admins in). With an idempotency key, a repeat
   * of the same input answers the first call's merchant (see MerchantStore.create).
   */
  async createMerchant(input: CreateMerchantInput): Promise<Merchant> {
    // An optional field given as null means its default here, as if omitted.
    const present = Object.fromEntries(
      Object.entries(input).filter(([, value]) => value !== null),
    ) as CreateMerchantInput;
    const merchant: NewMerchant = {
      ...(merchantSettings(present) as NewMerchant),
      status: input.status ?? 'CLOSED',
    };
    const intervals = weeklyIntervals(input.hours ?? []);
    const creationKey = idempotencyKey(input.idempotencyKey);
    return this.stores.merchants.create(merchant, intervals, {
      creationKey,
      creationInputHash: creationKey ? fingerprint([merchant, intervals]) : null,
    });
  }

  async updateMerchant(
    merchantId: string | null | undefined,
    input: UpdateMerchantInput,
  ): Promise<Merchant> {
    const merchant = await this.managedMerchant(merchantId);
    // The logo is a picture change (a URL or an upload), not a plain setting.
    const settings = merchantSettings({ ...input, logoUrl: undefined });
    const logo = await this.pictureChange(
      merchant.id,
      { imageUrl: input.logoUrl, imageUploadId: input.logoUploadId },
      'MERCHANT_LOGO',
      { url: 'logoUrl', upload: 'logoUploadId' },
    );
    if (logo.imageUrl !== undefined) settings.logoUrl = logo.imageUrl;
    if (logo.imageKey !== undefined) settings.logoKey = logo.imageKey;
    if (logo.thumbnailKey !== undefined) settings.logoThumbnailKey = logo.thumbnailKey;
    if (given(input, 'defaultPrepMinutes')) {
      settings.defaultPrepMinutes = integerIn(
        notNull(input.defaultPrepMinutes!, 'defaultPrepMinutes'),
        'defaultPrepMinutes',
        1,
        MAX_PREP_MINUTES,
      );
    }
    return this.stores.merchants.update(merchant.id, settings);
  }

  async setMerchantStatus(
    merchantId: string | null | undefined,
    status: MerchantStatus,
  ): Promise<Merchant> {
    const merchant = await this.managedMerchant(merchantId);
    return this.stores.merchants.update(merchant.id, { status });
  }

  async pauseMerchant(merchantId: string | null | undefined, until: Date): Promise<Merchant> {
    const merchant = await this.managedMerchant(merchantId);
    const ahead = until.getTime() - this.now.getTime();
    if (!(ahead > 0 && ahead <= MAX_PAUSE_MS)) {
      throw badUserInput('"until" must be after now and at most 7 days ahead.', 'until');
    }
    return this.stores.merchants.update(merchant.id, { pausedUntil: until });
  }

  async resumeMerchant(merchantId: string | null | undefined): Promise<Merchant> {
    const merchant = await this.managedMerchant(merchantId);
    return this.stores.merchants.update(merchant.id, { pausedUntil: null });
  }

  async setBusinessHours(
    merchantId: string | null | undefined,
    hours: readonly BusinessHoursInput[],
  ): Promise<Merchant> {
    const merchant = await this.managedMerchant(merchantId);
    const intervals = weeklyIntervals(hours);
    return this.stores.merchants.replaceBusinessHours(merchant.id, intervals);
  }

  // --- pictures ---------------------------------------------------------------------------

  /** The picture columns of a new item: an uploaded image, an external URL, or none. */
  private async pictureOf(
    merchantId: string,
    input: PictureInput,
    purpose: ImagePurpose,
  ): Promise<PictureColumns> {
    const change = await this.pictureChange(merchantId, input, purpose);
    return {
      imageUrl: change.imageUrl ?? null,
      imageKey: change.imageKey ?? null,
      thumbnailKey: change.thumbnailKey ?? null,
    };
  }

  /**
   * The picture columns an input changes (none when it names neither field): an upload replaces
   * any external URL and the reverse, and null in either field removes the picture.
   */
  private async pictureChange(
    merchantId: string,
    input: PictureInput,
    purpose: ImagePurpose,
    names = { url: 'imageUrl', upload: 'imageUploadId' },
  ): Promise<Partial<PictureColumns>> {
    const url = input.imageUrl;
    const uploadId = input.imageUploadId;
    if (url != null && uploadId != null) {
      throw badUserInput(`Give "${names.url}" or "${names.upload}", not both.`, names.upload);
    }
    if (uploadId != null) {
      const image: AttachedImage = await this.images.attachable(
        uploadId,
        merchantId,
        purpose,
        names.upload,
      );
      return { imageUrl: null, ...image };
    }
    if (url != null) {
      return { imageUrl: optionalHttpUrl(url, names.url), imageKey: null, thumbnailKey: null };
    }
    if (url === null || uploadId === null) {
      return { imageUrl: null, imageKey: null, thumbnailKey: null };
    }
    return {};
  }

  // --- lookups with ownership -------------------------------------------------------------

  private async managedMerchant(requested: string | null | undefined): Promise<Merchant> {
    const merchant = await this.stores.merchants.load(merchantToManage(this.viewer, requested));
    if (!merchant) throw notFound('Merchant');
    return merchant;
  }

  private async managedCategory(id: string): Promise<Category> {
    const category = await this.stores.categories.load(id);
    if (!category) throw notFound('Category');
    assertManages(this.viewer, category.merchantId);
    return category;
  }

  private async managedDish(id: string): Promise<Dish> {
    const dish = await this.stores.dishes.load(id);
    if (!dish) throw notFound('Dish');
    assertManages(this.viewer, dish.merchantId);
    return dish;
  }

  private async managedSetMeal(id: string): Promise<SetMeal> {
    const setMeal = await this.stores.setMeals.load(id);
    if (!setMeal) throw notFound('Set meal');
    assertManages(this.viewer, setMeal.merchantId);
    return setMeal;
  }

  /** A category of `type` of the same merchant, or BAD_USER_INPUT on `categoryId`. */
  private async categoryOf(merchantId: string, categoryId: string, type: CategoryType) {
    const category = await this.stores.categories.load(categoryId);
    if (!category || category.merchantId !== merchantId || category.type !== type) {
      throw badUserInput(`"categoryId" must be a ${type} category of this merchant.`, 'categoryId');
    }
    return category;
  }

  /** Set meal lines whose dishes all exist and belong to the merchant. */
  private async linesOf(
    merchantId: string,
    input: readonly { dishId: string; copies?: number | null }[],
  ): Promise<SetMealLineFields[]> {
    const lines = setMealLines(
      input.map(({ dishId, copies }) => ({ dishId, copies: copies ?? 1 })),
    );
    const dishes = await Promise.all(lines.map((line) => this.stores.dishes.load(line.dishId)));
    const foreign = lines.find((_line, index) => dishes[index]?.merchantId !== merchantId);
    if (foreign) {
      throw badUserInput(`Dish ${foreign.dishId} is not a dish of this merchant.`, 'items');
    }
    return lines;
  }
}
