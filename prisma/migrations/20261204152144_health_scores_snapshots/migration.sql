-- CreateTable
CREATE TABLE "HealthScore" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "overall" INTEGER,
    "sleep" INTEGER,
    "activity" INTEGER,
    "cardio" INTEGER,
    "recovery" INTEGER,
    "details" JSONB NOT NULL,
    "computedAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HealthScore_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Snapshot" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "asOf" DATE NOT NULL,
    "label" TEXT,
    "note" TEXT,
    "scores" JSONB NOT NULL,
    "baselines" JSONB NOT NULL,
    "latest" JSONB NOT NULL,
    "takenAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Snapshot_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "HealthScore_userId_day_key" ON "HealthScore"("userId", "day");

-- CreateIndex
CREATE INDEX "Snapshot_userId_id_idx" ON "Snapshot"("userId", "id");

-- AddForeignKey
ALTER TABLE "HealthScore" ADD CONSTRAINT "HealthScore_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Snapshot" ADD CONSTRAINT "Snapshot_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
