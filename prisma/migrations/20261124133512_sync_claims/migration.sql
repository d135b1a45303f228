-- AlterTable
ALTER TABLE "Connection" ADD COLUMN     "syncJobAt" TIMESTAMPTZ(3),
ADD COLUMN     "syncJobId" TEXT;
