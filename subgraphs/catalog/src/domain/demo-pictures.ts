import { createHash } from 'node:crypto';
import sharp from 'sharp';

/**
 * Pictures for the demo dataset, drawn from their name at seed time: the same name always gives
 * the same image, nothing binary is kept in the repository, and no text is drawn (so no font has
 * to be installed). A dish is a bowl with toppings on a coloured table; a logo is a badge.
 */

/** A deterministic stream of numbers in [0, 1) from a name. */
function randomFrom(name: string) {
  let block = createHash('sha256').update(`sky-demo-picture:${name}`).digest();
  let offset = 0;
  return () => {
    if (offset + 4 > block.length) {
      block = createHash('sha256').update(block).digest();
      offset = 0;
    }
    const value = block.readUInt32BE(offset) / 2 ** 32;
    offset += 4;
    return value;
  };
}

const hsl = (hue: number, saturation: number, lightness: number) =>
  `hsl(${Math.round(hue) % 360},${saturation}%,${lightness}%)`;

function dishSvg(name: string): string {
  const random = randomFrom(name);
  const hue = random() * 360;
  const toppings = Array.from({ length: 5 + Math.floor(random() * 5) }, () => {
    const angle = random() * Math.PI * 2;
    const distance = random() * 80;
    return `<circle cx="${(240 + Math.cos(angle) * distance).toFixed(1)}" cy="${(
      175 +
      Math.sin(angle) * distance * 0.6
    ).toFixed(1)}" r="${(12 + random() * 16).toFixed(1)}" fill="${hsl(
      hue + 120 + random() * 120,
      60,
      45 + random() * 20,
    )}"/>`;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="360">
<rect width="480" height="360" fill="${hsl(hue, 45, 82)}"/>
<ellipse cx="240" cy="200" rx="170" ry="110" fill="${hsl(hue, 20, 95)}"/>
<ellipse cx="240" cy="180" rx="130" ry="80" fill="${hsl(20 + random() * 30, 70, 55)}"/>
${toppings}
<line x1="360" y1="40" x2="300" y2="150" stroke="${hsl(hue + 200, 30, 30)}" stroke-width="8" stroke-linecap="round"/>
<line x1="385" y1="45" x2="320" y2="155" stroke="${hsl(hue + 200, 30, 30)}" stroke-width="8" stroke-linecap="round"/>
</svg>`;
}

function logoSvg(name: string): string {
  const random = randomFrom(name);
  const hue = random() * 360;
  const points = 5 + Math.floor(random() * 4);
  const star = Array.from({ length: points * 2 }, (_, index) => {
    const radius = index % 2 === 0 ? 70 : 32;
    const angle = (Math.PI * index) / points - Math.PI / 2;
    return `${(128 + Math.cos(angle) * radius).toFixed(1)},${(128 + Math.sin(angle) * radius).toFixed(1)}`;
  }).join(' ');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256">
<rect width="256" height="256" rx="48" fill="${hsl(hue, 65, 45)}"/>
<circle cx="128" cy="128" r="96" fill="${hsl(hue + 180, 40, 92)}"/>
<polygon points="${star}" fill="${hsl(hue, 70, 50)}"/>
</svg>`;
}

/** A dish or set meal picture: a 480×360 WebP of a few kilobytes. */
export const drawDishPicture = (name: string): Promise<Buffer> =>
  sharp(Buffer.from(dishSvg(name)))
    .webp({ quality: 70 })
    .toBuffer();

/** A shop logo: a 256×256 WebP. */
export const drawLogo = (name: string): Promise<Buffer> =>
  sharp(Buffer.from(logoSvg(name)))
    .webp({ quality: 70 })
    .toBuffer();
