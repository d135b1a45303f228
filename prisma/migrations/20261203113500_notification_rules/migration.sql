-- AlterTable
ALTER TABLE "NotificationLog" ADD COLUMN     "triggerId" TEXT;

-- CreateTable
CREATE TABLE "NotificationRule" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "minSeverity" TEXT NOT NULL,
    "channelIds" TEXT[],
    "condition" JSONB NOT NULL,
    "quietStart" TEXT,
    "quietEnd" TEXT,
    "cooldownMinutes" INTEGER NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "NotificationRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationTrigger" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "triggerKey" TEXT NOT NULL,
    "eventId" TEXT,
    "conditionKey" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "notification" JSONB,
    "firedAt" TIMESTAMPTZ(3),
    "sendAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "NotificationTrigger_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "NotificationRule_userId_id_idx" ON "NotificationRule"("userId", "id");

-- CreateIndex
CREATE INDEX "NotificationTrigger_ruleId_firedAt_idx" ON "NotificationTrigger"("ruleId", "firedAt");

-- CreateIndex
CREATE UNIQUE INDEX "NotificationTrigger_ruleId_triggerKey_key" ON "NotificationTrigger"("ruleId", "triggerKey");

-- CreateIndex
CREATE UNIQUE INDEX "NotificationTrigger_ruleId_conditionKey_key" ON "NotificationTrigger"("ruleId", "conditionKey");

-- AddForeignKey
ALTER TABLE "NotificationRule" ADD CONSTRAINT "NotificationRule_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NotificationTrigger" ADD CONSTRAINT "NotificationTrigger_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "NotificationRule"("id") ON DELETE CASCADE ON UPDATE CASCADE;
