-- DropTable
DROP TABLE "login_throttles";
