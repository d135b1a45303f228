-- CreateTable
CREATE TABLE "ProviderNotice" (
    "id" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "stream" TEXT NOT NULL,
    "url" TEXT,
    "payload" JSONB,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProviderNotice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ProviderNotice_connectionId_id_idx" ON "ProviderNotice"("connectionId", "id");

-- AddForeignKey
ALTER TABLE "ProviderNotice" ADD CONSTRAINT "ProviderNotice_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection"("id") ON DELETE CASCADE ON UPDATE CASCADE;
