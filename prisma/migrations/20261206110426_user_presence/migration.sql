-- CreateTable
CREATE TABLE "directory"."UserPresence" (
    "userId" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "UserPresence_pkey" PRIMARY KEY ("userId")
);

-- AddForeignKey
ALTER TABLE "directory"."UserPresence" ADD CONSTRAINT "UserPresence_userId_fkey" FOREIGN KEY ("userId") REFERENCES "directory"."User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
