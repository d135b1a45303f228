-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "wakeAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "Schedule" ADD COLUMN     "calendar" JSONB,
ADD COLUMN     "timezone" TEXT,
ALTER COLUMN "intervalSeconds" DROP NOT NULL;

-- CreateTable
CREATE TABLE "JobStep" (
    "id" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "result" JSONB,
    "wakeAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JobStep_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "JobStep_jobId_seq_key" ON "JobStep"("jobId", "seq");
