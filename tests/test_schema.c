#include "schema.h"
#include "test.h"

int main(void)
{
    char b[64];
    CHECK_INT(schema_match(KIND_REGISTRY, "证件号码"), COL_ID);
    CHECK_INT(schema_match(KIND_REGISTRY, "身份证号"), COL_ID);
    CHECK_INT(schema_match(KIND_ROSTER, "身份证件号"), COL_ID);
    CHECK_INT(schema_match(KIND_AID, "公民身份号码"), COL_ID);
    CHECK_INT(schema_match(KIND_REGISTRY, " *证件号码 "), COL_ID);
    CHECK_INT(schema_match(KIND_REGISTRY, "县（市、区、旗）"), COL_COUNTY);
    CHECK_INT(schema_match(KIND_REGISTRY, "县(市，区，旗)"), COL_COUNTY);
    CHECK_INT(schema_match(KIND_REGISTRY, "乡（镇）"), COL_TOWNSHIP);
    CHECK_INT(schema_match(KIND_REGISTRY, "义务教育阶段\n未上学原因"), COL_NONATTEND);
    CHECK_INT(schema_match(KIND_ROSTER, "全国学籍号"), COL_STUDENT_NO);
    CHECK_INT(schema_match(KIND_AID, "金额（元）"), COL_AMOUNT);
    CHECK_INT(schema_match(KIND_AID, "学校"), COL_SCHOOL_NAME);
    /* a column of another kind is not matched */
    CHECK_INT(schema_match(KIND_AID, "学校标识码"), -1);
    CHECK_INT(schema_match(KIND_REGISTRY, "资助项目"), -1);
    CHECK_INT(schema_match(KIND_ROSTER, "备注"), -1);
    CHECK_INT(schema_match(KIND_ROSTER, ""), -1);
    CHECK_STR(schema_norm_header("\xef\xbb\xbf 身份证号 ", b, sizeof b), "身份证号");
    CHECK_STR(schema_norm_header("姓　名", b, sizeof b), "姓名");
    CHECK_STR(col_zh(COL_ID), "身份证号");
    CHECK_STR(kind_name(KIND_PROVINCE), "province");
    CHECK_INT(kind_parse("roster"), KIND_ROSTER);
    CHECK_INT(kind_parse("school"), -1);
    return TEST_DONE();
}
