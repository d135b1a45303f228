-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "sourcePriority" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "HealthSample" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "metricType" TEXT NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL,
    "endAt" TIMESTAMPTZ(3),
    "value" DOUBLE PRECISION NOT NULL,
    "source" TEXT NOT NULL,
    "device" TEXT NOT NULL DEFAULT '',
    "connectionId" TEXT,
    "externalId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HealthSample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HealthRollup" (
    "userId" TEXT NOT NULL,
    "metricType" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "bucketStart" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,
    "sum" DOUBLE PRECISION NOT NULL,
    "min" DOUBLE PRECISION NOT NULL,
    "max" DOUBLE PRECISION NOT NULL,
    "lastAt" TIMESTAMPTZ(3) NOT NULL,
    "lastValue" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "HealthRollup_pkey" PRIMARY KEY ("userId","metricType","source","bucketStart")
);

-- CreateTable
CREATE TABLE "DailyRollup" (
    "userId" TEXT NOT NULL,
    "metricType" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "timezone" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "sum" DOUBLE PRECISION NOT NULL,
    "min" DOUBLE PRECISION NOT NULL,
    "max" DOUBLE PRECISION NOT NULL,
    "lastAt" TIMESTAMPTZ(3) NOT NULL,
    "lastValue" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "DailyRollup_pkey" PRIMARY KEY ("userId","metricType","source","day")
);

-- CreateTable
CREATE TABLE "HealthEvent" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "subtype" TEXT,
    "startAt" TIMESTAMPTZ(3) NOT NULL,
    "endAt" TIMESTAMPTZ(3) NOT NULL,
    "durationSeconds" INTEGER NOT NULL,
    "distance" DOUBLE PRECISION,
    "energy" DOUBLE PRECISION,
    "avgHeartRate" DOUBLE PRECISION,
    "maxHeartRate" DOUBLE PRECISION,
    "elevationGain" DOUBLE PRECISION,
    "details" JSONB NOT NULL DEFAULT '{}',
    "source" TEXT NOT NULL,
    "device" TEXT NOT NULL DEFAULT '',
    "connectionId" TEXT,
    "externalId" TEXT,
    "dedupeKey" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "HealthEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PersonalRecord" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "metricType" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "qualifier" TEXT NOT NULL DEFAULT '',
    "value" DOUBLE PRECISION NOT NULL,
    "unit" TEXT NOT NULL,
    "achievedAt" TIMESTAMPTZ(3) NOT NULL,
    "sampleId" TEXT,
    "eventId" TEXT,
    "source" TEXT NOT NULL,
    "previousValue" DOUBLE PRECISION,
    "previousAchievedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PersonalRecord_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "HealthSample_userId_recordedAt_idx" ON "HealthSample"("userId", "recordedAt");

-- CreateIndex
CREATE UNIQUE INDEX "HealthSample_natural_key" ON "HealthSample"("userId", "metricType", "recordedAt", "source", "device");

-- CreateIndex
CREATE INDEX "HealthEvent_userId_type_startAt_idx" ON "HealthEvent"("userId", "type", "startAt");

-- CreateIndex
CREATE INDEX "HealthEvent_userId_startAt_idx" ON "HealthEvent"("userId", "startAt");

-- CreateIndex
CREATE UNIQUE INDEX "HealthEvent_userId_source_dedupeKey_key" ON "HealthEvent"("userId", "source", "dedupeKey");

-- CreateIndex
CREATE UNIQUE INDEX "PersonalRecord_userId_metricType_kind_qualifier_key" ON "PersonalRecord"("userId", "metricType", "kind", "qualifier");

-- AddForeignKey
ALTER TABLE "HealthSample" ADD CONSTRAINT "HealthSample_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HealthRollup" ADD CONSTRAINT "HealthRollup_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DailyRollup" ADD CONSTRAINT "DailyRollup_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HealthEvent" ADD CONSTRAINT "HealthEvent_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PersonalRecord" ADD CONSTRAINT "PersonalRecord_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
