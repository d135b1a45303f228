-- CreateTable
CREATE TABLE "DomainEvent" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "sequence" BIGINT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dispatchedAt" TIMESTAMPTZ(3),

    CONSTRAINT "DomainEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DomainEventSequence" (
    "workspaceId" TEXT NOT NULL,
    "last" BIGINT NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DomainEventSequence_pkey" PRIMARY KEY ("workspaceId")
);

-- CreateTable
CREATE TABLE "DomainEventReceipt" (
    "consumer" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DomainEventReceipt_pkey" PRIMARY KEY ("consumer","eventId")
);

-- CreateIndex
CREATE INDEX "DomainEvent_workspaceId_id_idx" ON "DomainEvent"("workspaceId", "id");

-- CreateIndex
CREATE INDEX "DomainEvent_dispatchedAt_workspaceId_sequence_idx" ON "DomainEvent"("dispatchedAt", "workspaceId", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "DomainEvent_workspaceId_sequence_key" ON "DomainEvent"("workspaceId", "sequence");

-- CreateIndex
CREATE INDEX "DomainEventReceipt_eventId_idx" ON "DomainEventReceipt"("eventId");

-- AddForeignKey
ALTER TABLE "DomainEventReceipt" ADD CONSTRAINT "DomainEventReceipt_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "DomainEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;
