-- DropForeignKey
ALTER TABLE "HealthSample" DROP CONSTRAINT "HealthSample_userId_fkey";
