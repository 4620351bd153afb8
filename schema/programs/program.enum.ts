import { registerEnumType } from "type-graphql";
import { PriorityStatus } from "../../entities/programs/user-priority.entity";

registerEnumType(PriorityStatus, {
  name: "PriorityStatus",
  valuesConfig: {
    active: { description: "A current priority of the member's program." },
    dismissed: { description: "Set aside by the member." },
    completed: { description: "Achieved." },
    outdated: { description: "Replaced when a newer program was generated." },
  },
});

export { PriorityStatus };
