import { demoId } from '@sky/demo-data';
import { errorCodes, graphql } from '@sky/testkit';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dishNamed, goldenDumpling, noodleHouse, ok } from './flows.ts';
import { startTestSupergraph, type TestSupergraph } from './supergraph.ts';

const CREATE_IMAGE_UPLOAD = /* GraphQL */ `
  mutation CreateImageUpload($input: CreateImageUploadInput!) {
    createImageUpload(input: $input) {
      uploadUrl
      fields {
        name
        value
      }
      upload {
        id
        status
      }
    }
  }
`;
const COMPLETE_IMAGE_UPLOAD = /* GraphQL */ `
  mutation CompleteImageUpload($id: ID!) {
    completeImageUpload(id: $id) {
      status
      imageUrl
      thumbnailUrl
    }
  }
`;
const SET_DISH_IMAGE = /* GraphQL */ `
  mutation SetDishImage($id: ID!, $uploadId: ID!) {
    updateDish(id: $id, input: { imageUploadId: $uploadId }) {
      id
    }
  }
`;
const DISH_PICTURE = /* GraphQL */ `
  query DishPicture($id: ID!) {
    dish(id: $id) {
      imageUrl
      thumbnailUrl
      merchant {
        logoUrl
        logoThumbnailUrl
      }
    }
  }
`;

const dish = dishNamed(noodleHouse, '拍黄瓜');
let supergraph: TestSupergraph;
let imageDir: string;
let noodleStaff: string;
let dumplingStaff: string;
let customer: string;

beforeAll(async () => {
  imageDir = mkdtempSync(join(tmpdir(), 'sky-images-e2e-'));
  supergraph = await startTestSupergraph({ env: { IMAGE_STORE: 'fs', IMAGE_DIR: imageDir } });
  noodleStaff = supergraph.tokenFor({
    userId: demoId('user:e2e-noodle-staff'),
    roles: ['MERCHANT_STAFF'],
    merchantId: noodleHouse.id,
  });
  dumplingStaff = supergraph.tokenFor({
    userId: demoId('user:e2e-dumpling-staff'),
    roles: ['MERCHANT_STAFF'],
    merchantId: goldenDumpling.id,
  });
  customer = supergraph.tokenFor({ userId: demoId('user:e2e-customer'), roles: ['CUSTOMER'] });
});
afterAll(async () => {
  await supergraph?.stop();
  rmSync(imageDir, { recursive: true, force: true });
});

describe('image uploads through the gateway', () => {
  it('a merchant uploads a dish picture that customers then see with its thumbnail', async () => {
    const gateway = supergraph.gatewayUrl;
    const photo = await sharp({
      create: { width: 640, height: 480, channels: 3, background: { r: 90, g: 160, b: 60 } },
    })
      .jpeg()
      .toBuffer();
    const created = ok(
      await graphql<{
        createImageUpload: {
          uploadUrl: string;
          fields: { name: string; value: string }[];
          upload: { id: string; status: string };
        };
      }>(gateway, CREATE_IMAGE_UPLOAD, {
        token: noodleStaff,
        variables: {
          input: { purpose: 'DISH_IMAGE', contentType: 'image/jpeg', byteSize: photo.length },
        },
      }),
    ).createImageUpload;
    const form = new FormData();
    for (const field of created.fields) form.append(field.name, field.value);
    form.append('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'dish.jpg');
    expect((await fetch(created.uploadUrl, { method: 'POST', body: form })).status).toBe(204);

    // Another merchant's staff cannot confirm it, nor upload for this merchant.
    expect(
      errorCodes(
        await graphql(gateway, COMPLETE_IMAGE_UPLOAD, {
          token: dumplingStaff,
          variables: { id: created.upload.id },
        }),
      ),
    ).toEqual(['FORBIDDEN']);
    const done = ok(
      await graphql<{ completeImageUpload: { status: string; thumbnailUrl: string } }>(
        gateway,
        COMPLETE_IMAGE_UPLOAD,
        { token: noodleStaff, variables: { id: created.upload.id } },
      ),
    ).completeImageUpload;
    expect(done.status).toBe('COMPLETE');
    ok(
      await graphql(gateway, SET_DISH_IMAGE, {
        token: noodleStaff,
        variables: { id: dish.id, uploadId: created.upload.id },
      }),
    );

    const seen = ok(
      await graphql<{
        dish: {
          imageUrl: string;
          thumbnailUrl: string;
          merchant: { logoUrl: string | null; logoThumbnailUrl: string | null };
        };
      }>(gateway, DISH_PICTURE, { variables: { id: dish.id } }),
    ).dish;
    expect(seen.thumbnailUrl).toBe(done.thumbnailUrl);
    const thumbnail = Buffer.from(await (await fetch(seen.thumbnailUrl)).arrayBuffer());
    const metadata = await sharp(thumbnail).metadata();
    expect([metadata.format, metadata.width, metadata.height]).toEqual(['webp', 320, 240]);
    // The seeded shop has a logo drawn by the demo seed, served by the platform too.
    expect((await fetch(seen.merchant.logoThumbnailUrl!)).status).toBe(200);
  });

  it('refuses uploads to other merchants’ staff, customers and anonymous callers', async () => {
    const input = {
      merchantId: noodleHouse.id,
      purpose: 'DISH_IMAGE',
      contentType: 'image/png',
      byteSize: 100,
    };
    const codes = async (token?: string) =>
      errorCodes(
        await graphql(supergraph.gatewayUrl, CREATE_IMAGE_UPLOAD, { token, variables: { input } }),
      );
    expect(await codes(dumplingStaff)).toEqual(['FORBIDDEN']);
    expect(await codes(customer)).toEqual(['FORBIDDEN']);
    expect(await codes()).toEqual(['UNAUTHENTICATED']);
  });
});
