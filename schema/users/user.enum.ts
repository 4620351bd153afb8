import { registerEnumType } from "type-graphql";
import { Gender, HeightUnit, WeightUnit } from "../../entities/users/user.entity";

registerEnumType(WeightUnit, { name: "WeightUnit", description: "Unit of `weight`." });
registerEnumType(HeightUnit, { name: "HeightUnit", description: "Unit of `height`." });
registerEnumType(Gender, { name: "Gender" });

export { Gender, HeightUnit, WeightUnit };
