-- AlterTable
ALTER TABLE "merchants" ADD COLUMN     "defaultPrepMinutes" INTEGER NOT NULL DEFAULT 15;
