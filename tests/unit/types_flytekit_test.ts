/**
 * Outputs written by flytekit 1.16.31 itself (TypeEngine.to_literal and the
 * interface's VariableMap, serialized), read back with the remote types and
 * without any. Made by this script (python 3, flytekit==1.16.31):
 *
 * ```python
 * class E(enum.Enum): A = "A"; B = "B"
 * @dataclass
 * class Inner: x: float; when: datetime.datetime
 * @dataclass
 * class DC:
 *     a: int; b: float; d: Optional[int]; f: Inner; g: timedelta; h: E
 *     i: FlyteFile; m: Dict[str, List[int]]; big: int = 2**40; dflt: str = "x"
 * dc = DC(a=1, b=2.0, d=None, f=Inner(0.5, datetime(2024,1,2,3,4,5,123456)),
 *         g=timedelta(seconds=-1.5), h=E.B, i=FlyteFile("s3://b/f"), m={"k": [1, 2]})
 * o0=(2**60, int); o1=(datetime(2024,1,2,3,4,5,123456), datetime); o2=(dc, DC)
 * o3=([dc, None], List[Optional[DC]]); o4=({"a": {"b": [1.5]}}, Dict[str, Dict[str, List[float]]])
 * o5=(E.A, E); o6=(3, Union[int, str]); o7=(None, Optional[int])
 * o8=({"x": [1, 2**40, None]}, dict); o9=(FlyteDirectory("s3://b/d"), FlyteDirectory)
 * o10=(dc, Union[DC, int])
 * ```
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { create, fromBinary } from "@bufbuild/protobuf";
import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
import { VariableMapSchema } from "@flyteidl/core/interface_pb.ts";
import { LiteralTypeSchema, SimpleType } from "@flyteidl/core/types_pb.ts";
import {
  decodeLiteralMap,
  Duration,
  FlyteDirectory,
  FlyteFile,
  fromLiteral,
  fromLiteralMap,
  type Literal,
  PreciseDate,
  toLiteral,
  toLiteralMap,
  typeFromLiteralType,
} from "../../src/types/mod.ts";
import { unpackMsgpack } from "../../src/types/msgpack.ts";

const OUTPUTS_PB =
  "ChQKAm8wEg4KDAoKCICAgICAgICAEAocCgJvNxIWChRKEgoECgIqABIKCABaBgoEbm9uZQodCgJvNhIXChVKEwoGCgQKAggDEgkIAVoFCgNpbnQKJAoCbzgSHgocGhoKD4GheJMBzwAAAQAAAAAAwBIHbXNncGFjawoaCgJvORIUChISEAoECgIQARoIczM6Ly9iL2QKDQoCbzUSBwoFCgMaAUEKsgsKAm8zEqsLEqgLCo0LCooLSocLCo0BCooBGocBCnyKoWEBoWLLQAAAAAAAAAChZMChZoKheMs/4AAAAAAAAKR3aGVuujIwMjQtMDEtMDJUMDM6MDQ6MDUuMTIzNDU2oWfLv/gAAAAAAAChaKFCoWmBpHBhdGioczM6Ly9iL2ahbYGha5IBAqNiaWfPAAABAAAAAACkZGZsdKF4Egdtc2dwYWNrEvQJCAkyjgkKNgoIcmVxdWlyZWQSKjIoCgMaAWEKAxoBYgoDGgFkCgMaAWYKAxoBZwoDGgFoCgMaAWkKAxoBbQqWCAoKcHJvcGVydGllcxKHCCqECAodCgFoEhgqFgoUCgRlbnVtEgwyCgoDGgFBCgMaAUIK+AIKAWkS8gIq7wIKEAoEdHlwZRIIGgZvYmplY3QKqAIKCnByb3BlcnRpZXMSmQIqlgIKrQEKCG1ldGFkYXRhEqABKp0BCosBCgVhbnlPZhKBATJ/CmkqZwoQCgR0eXBlEggaBm9iamVjdAosChRhZGRpdGlvbmFsUHJvcGVydGllcxIUKhIKEAoEdHlwZRIIGgZzdHJpbmcKJQoNcHJvcGVydHlOYW1lcxIUKhIKEAoEdHlwZRIIGgZzdHJpbmcKEioQCg4KBHR5cGUSBhoEbnVsbAoNCgdkZWZhdWx0EgIIAApkCgRwYXRoElwqWgpJCgVhbnlPZhJAMj4KFCoSChAKBHR5cGUSCBoGc3RyaW5nCiYqJAoQCgR0eXBlEggaBnN0cmluZwoQCgZmb3JtYXQSBhoEcGF0aAoNCgdkZWZhdWx0EgIIAAoaChRhZGRpdGlvbmFsUHJvcGVydGllcxICIAAKFAoFdGl0bGUSCxoJRmx5dGVGaWxlCj8KAWQSOio4CjYKBWFueU9mEi0yKwoVKhMKEQoEdHlwZRIJGgdpbnRlZ2VyChIqEAoOCgR0eXBlEgYaBG51bGwKGgoBYRIVKhMKEQoEdHlwZRIJGgdpbnRlZ2VyCsgBCgFmEsIBKr8BChsKCHJlcXVpcmVkEg8yDQoDGgF4CgYaBHdoZW4KYAoKcHJvcGVydGllcxJSKlAKGQoBeBIUKhIKEAoEdHlwZRIIGgZudW1iZXIKMwoEd2hlbhIrKikKEAoEdHlwZRIIGgZzdHJpbmcKFQoGZm9ybWF0EgsaCWRhdGUtdGltZQoaChRhZGRpdGlvbmFsUHJvcGVydGllcxICIAAKEAoEdHlwZRIIGgZvYmplY3QKEAoFdGl0bGUSBxoFSW5uZXIKLAoEZGZsdBIkKiIKEAoEdHlwZRIIGgZzdHJpbmcKDgoHZGVmYXVsdBIDGgF4CjIKA2JpZxIrKikKEQoEdHlwZRIJGgdpbnRlZ2VyChQKB2RlZmF1bHQSCREAAAAAAABwQgoZCgFiEhQqEgoQCgR0eXBlEggaBm51bWJlcgqPAQoBbRKJASqGAQoQCgR0eXBlEggaBm9iamVjdApLChRhZGRpdGlvbmFsUHJvcGVydGllcxIzKjEKDwoEdHlwZRIHGgVhcnJheQoeCgVpdGVtcxIVKhMKEQoEdHlwZRIJGgdpbnRlZ2VyCiUKDXByb3BlcnR5TmFtZXMSFCoSChAKBHR5cGUSCBoGc3RyaW5nCjEKAWcSLCoqChAKBHR5cGUSCBoGbnVtYmVyChYKBmZvcm1hdBIMGgp0aW1lLWRlbHRhChoKFGFkZGl0aW9uYWxQcm9wZXJ0aWVzEgIgAAoQCgR0eXBlEggaBm9iamVjdAoNCgV0aXRsZRIEGgJEQ0o/Cj0KOwoSY2FjaGUta2V5LW1ldGFkYXRhEiUqIwohChRzZXJpYWxpemF0aW9uLWZvcm1hdBIJGgdtc2dwYWNrWh4KHE9iamVjdC1EYXRhY2xhc3MtVHJhbnNmb3JtZXIKFgoUShIKBAoCKgASCggAWgYKBG5vbmUKKQoCbzQSIxohCh8KAWESGhoYChYKAWISERIPCg0KCwoJEQAAAAAAAPg/CpQBCgJvMhKNAQqKARqHAQp8iqFhAaFiy0AAAAAAAAAAoWTAoWaCoXjLP+AAAAAAAACkd2hlbroyMDI0LTAxLTAyVDAzOjA0OjA1LjEyMzQ1NqFny7/4AAAAAAAAoWihQqFpgaRwYXRoqHMzOi8vYi9moW2BoWuSAQKjYmlnzwAAAQAAAAAApGRmbHSheBIHbXNncGFjawqVCwoDbzEwEo0LCooLSocLCo0BCooBGocBCnyKoWEBoWLLQAAAAAAAAAChZMChZoKheMs/4AAAAAAAAKR3aGVuujIwMjQtMDEtMDJUMDM6MDQ6MDUuMTIzNDU2oWfLv/gAAAAAAAChaKFCoWmBpHBhdGioczM6Ly9iL2ahbYGha5IBAqNiaWfPAAABAAAAAACkZGZsdKF4Egdtc2dwYWNrEvQJCAkyjgkKNgoIcmVxdWlyZWQSKjIoCgMaAWEKAxoBYgoDGgFkCgMaAWYKAxoBZwoDGgFoCgMaAWkKAxoBbQqWCAoKcHJvcGVydGllcxKHCCqECAodCgFoEhgqFgoUCgRlbnVtEgwyCgoDGgFBCgMaAUIK+AIKAWkS8gIq7wIKEAoEdHlwZRIIGgZvYmplY3QKqAIKCnByb3BlcnRpZXMSmQIqlgIKrQEKCG1ldGFkYXRhEqABKp0BCosBCgVhbnlPZhKBATJ/CmkqZwoQCgR0eXBlEggaBm9iamVjdAosChRhZGRpdGlvbmFsUHJvcGVydGllcxIUKhIKEAoEdHlwZRIIGgZzdHJpbmcKJQoNcHJvcGVydHlOYW1lcxIUKhIKEAoEdHlwZRIIGgZzdHJpbmcKEioQCg4KBHR5cGUSBhoEbnVsbAoNCgdkZWZhdWx0EgIIAApkCgRwYXRoElwqWgpJCgVhbnlPZhJAMj4KFCoSChAKBHR5cGUSCBoGc3RyaW5nCiYqJAoQCgR0eXBlEggaBnN0cmluZwoQCgZmb3JtYXQSBhoEcGF0aAoNCgdkZWZhdWx0EgIIAAoaChRhZGRpdGlvbmFsUHJvcGVydGllcxICIAAKFAoFdGl0bGUSCxoJRmx5dGVGaWxlCj8KAWQSOio4CjYKBWFueU9mEi0yKwoVKhMKEQoEdHlwZRIJGgdpbnRlZ2VyChIqEAoOCgR0eXBlEgYaBG51bGwKGgoBYRIVKhMKEQoEdHlwZRIJGgdpbnRlZ2VyCsgBCgFmEsIBKr8BChsKCHJlcXVpcmVkEg8yDQoDGgF4CgYaBHdoZW4KYAoKcHJvcGVydGllcxJSKlAKGQoBeBIUKhIKEAoEdHlwZRIIGgZudW1iZXIKMwoEd2hlbhIrKikKEAoEdHlwZRIIGgZzdHJpbmcKFQoGZm9ybWF0EgsaCWRhdGUtdGltZQoaChRhZGRpdGlvbmFsUHJvcGVydGllcxICIAAKEAoEdHlwZRIIGgZvYmplY3QKEAoFdGl0bGUSBxoFSW5uZXIKLAoEZGZsdBIkKiIKEAoEdHlwZRIIGgZzdHJpbmcKDgoHZGVmYXVsdBIDGgF4CjIKA2JpZxIrKikKEQoEdHlwZRIJGgdpbnRlZ2VyChQKB2RlZmF1bHQSCREAAAAAAABwQgoZCgFiEhQqEgoQCgR0eXBlEggaBm51bWJlcgqPAQoBbRKJASqGAQoQCgR0eXBlEggaBm9iamVjdApLChRhZGRpdGlvbmFsUHJvcGVydGllcxIzKjEKDwoEdHlwZRIHGgVhcnJheQoeCgVpdGVtcxIVKhMKEQoEdHlwZRIJGgdpbnRlZ2VyCiUKDXByb3BlcnR5TmFtZXMSFCoSChAKBHR5cGUSCBoGc3RyaW5nCjEKAWcSLCoqChAKBHR5cGUSCBoGbnVtYmVyChYKBmZvcm1hdBIMGgp0aW1lLWRlbHRhChoKFGFkZGl0aW9uYWxQcm9wZXJ0aWVzEgIgAAoQCgR0eXBlEggaBm9iamVjdAoNCgV0aXRsZRIEGgJEQ0o/Cj0KOwoSY2FjaGUta2V5LW1ldGFkYXRhEiUqIwohChRzZXJpYWxpemF0aW9uLWZvcm1hdBIJGgdtc2dwYWNrWh4KHE9iamVjdC1EYXRhY2xhc3MtVHJhbnNmb3JtZXIKFwoCbzESEQoPCg0qCwil+s2sBhCAlO86";

const INTERFACE_PB =
  "Cg4KAm8wEggKAggBEgJvMAolCgJvNxIfChlSFwoJCAFaBQoDaW50CgoIAFoGCgRub25lEgJvNwokCgJvNhIeChhSFgoJCAFaBQoDaW50CgkIA1oFCgNzdHISAm82Ck8KAm84EkkKQwgJSj8KPQo7ChJjYWNoZS1rZXktbWV0YWRhdGESJSojCiEKFHNlcmlhbGl6YXRpb24tZm9ybWF0EgkaB21zZ3BhY2sSAm84ChAKAm85EgoKBCoCEAESAm85ChQKAm81Eg4KCDoGCgFBCgFCEgJvNQqXCgoCbzMSkAoKiQoahgpSgwoK9AkICTKOCQo2CghyZXF1aXJlZBIqMigKAxoBYQoDGgFiCgMaAWQKAxoBZgoDGgFnCgMaAWgKAxoBaQoDGgFtCpYICgpwcm9wZXJ0aWVzEocIKoQICh0KAWgSGCoWChQKBGVudW0SDDIKCgMaAUEKAxoBQgr4AgoBaRLyAirvAgoQCgR0eXBlEggaBm9iamVjdAqoAgoKcHJvcGVydGllcxKZAiqWAgpkCgRwYXRoElwqWgpJCgVhbnlPZhJAMj4KFCoSChAKBHR5cGUSCBoGc3RyaW5nCiYqJAoQCgR0eXBlEggaBnN0cmluZwoQCgZmb3JtYXQSBhoEcGF0aAoNCgdkZWZhdWx0EgIIAAqtAQoIbWV0YWRhdGESoAEqnQEKiwEKBWFueU9mEoEBMn8KaSpnChAKBHR5cGUSCBoGb2JqZWN0CiwKFGFkZGl0aW9uYWxQcm9wZXJ0aWVzEhQqEgoQCgR0eXBlEggaBnN0cmluZwolCg1wcm9wZXJ0eU5hbWVzEhQqEgoQCgR0eXBlEggaBnN0cmluZwoSKhAKDgoEdHlwZRIGGgRudWxsCg0KB2RlZmF1bHQSAggAChoKFGFkZGl0aW9uYWxQcm9wZXJ0aWVzEgIgAAoUCgV0aXRsZRILGglGbHl0ZUZpbGUKPwoBZBI6KjgKNgoFYW55T2YSLTIrChUqEwoRCgR0eXBlEgkaB2ludGVnZXIKEioQCg4KBHR5cGUSBhoEbnVsbAoaCgFhEhUqEwoRCgR0eXBlEgkaB2ludGVnZXIKMgoDYmlnEisqKQoRCgR0eXBlEgkaB2ludGVnZXIKFAoHZGVmYXVsdBIJEQAAAAAAAHBCCiwKBGRmbHQSJCoiChAKBHR5cGUSCBoGc3RyaW5nCg4KB2RlZmF1bHQSAxoBeArIAQoBZhLCASq/AQobCghyZXF1aXJlZBIPMg0KAxoBeAoGGgR3aGVuCmAKCnByb3BlcnRpZXMSUipQChkKAXgSFCoSChAKBHR5cGUSCBoGbnVtYmVyCjMKBHdoZW4SKyopChAKBHR5cGUSCBoGc3RyaW5nChUKBmZvcm1hdBILGglkYXRlLXRpbWUKGgoUYWRkaXRpb25hbFByb3BlcnRpZXMSAiAAChAKBHR5cGUSCBoGb2JqZWN0ChAKBXRpdGxlEgcaBUlubmVyChkKAWISFCoSChAKBHR5cGUSCBoGbnVtYmVyCo8BCgFtEokBKoYBChAKBHR5cGUSCBoGb2JqZWN0CksKFGFkZGl0aW9uYWxQcm9wZXJ0aWVzEjMqMQoPCgR0eXBlEgcaBWFycmF5Ch4KBWl0ZW1zEhUqEwoRCgR0eXBlEgkaB2ludGVnZXIKJQoNcHJvcGVydHlOYW1lcxIUKhIKEAoEdHlwZRIIGgZzdHJpbmcKMQoBZxIsKioKEAoEdHlwZRIIGgZudW1iZXIKFgoGZm9ybWF0EgwaCnRpbWUtZGVsdGEKGgoUYWRkaXRpb25hbFByb3BlcnRpZXMSAiAAChAKBHR5cGUSCBoGb2JqZWN0Cg0KBXRpdGxlEgQaAkRDSj8KPQo7ChJjYWNoZS1rZXktbWV0YWRhdGESJSojCiEKFHNlcmlhbGl6YXRpb24tZm9ybWF0EgkaB21zZ3BhY2taHgocT2JqZWN0LURhdGFjbGFzcy1UcmFuc2Zvcm1lcgoKCABaBgoEbm9uZRICbzMKFAoCbzQSDgoIIgYiBBoCCAISAm80CoENCgJvMhL6DArzDAgJMo4JCjYKCHJlcXVpcmVkEioyKAoDGgFhCgMaAWIKAxoBZAoDGgFmCgMaAWcKAxoBaAoDGgFpCgMaAW0KlggKCnByb3BlcnRpZXMShwgqhAgKHQoBaBIYKhYKFAoEZW51bRIMMgoKAxoBQQoDGgFCCvgCCgFpEvICKu8CChAKBHR5cGUSCBoGb2JqZWN0CqgCCgpwcm9wZXJ0aWVzEpkCKpYCCq0BCghtZXRhZGF0YRKgASqdAQqLAQoFYW55T2YSgQEyfwppKmcKEAoEdHlwZRIIGgZvYmplY3QKLAoUYWRkaXRpb25hbFByb3BlcnRpZXMSFCoSChAKBHR5cGUSCBoGc3RyaW5nCiUKDXByb3BlcnR5TmFtZXMSFCoSChAKBHR5cGUSCBoGc3RyaW5nChIqEAoOCgR0eXBlEgYaBG51bGwKDQoHZGVmYXVsdBICCAAKZAoEcGF0aBJcKloKSQoFYW55T2YSQDI+ChQqEgoQCgR0eXBlEggaBnN0cmluZwomKiQKEAoEdHlwZRIIGgZzdHJpbmcKEAoGZm9ybWF0EgYaBHBhdGgKDQoHZGVmYXVsdBICCAAKGgoUYWRkaXRpb25hbFByb3BlcnRpZXMSAiAAChQKBXRpdGxlEgsaCUZseXRlRmlsZQo/CgFkEjoqOAo2CgVhbnlPZhItMisKFSoTChEKBHR5cGUSCRoHaW50ZWdlcgoSKhAKDgoEdHlwZRIGGgRudWxsChoKAWESFSoTChEKBHR5cGUSCRoHaW50ZWdlcgrIAQoBZhLCASq/AQobCghyZXF1aXJlZBIPMg0KAxoBeAoGGgR3aGVuCmAKCnByb3BlcnRpZXMSUipQChkKAXgSFCoSChAKBHR5cGUSCBoGbnVtYmVyCjMKBHdoZW4SKyopChAKBHR5cGUSCBoGc3RyaW5nChUKBmZvcm1hdBILGglkYXRlLXRpbWUKGgoUYWRkaXRpb25hbFByb3BlcnRpZXMSAiAAChAKBHR5cGUSCBoGb2JqZWN0ChAKBXRpdGxlEgcaBUlubmVyCiwKBGRmbHQSJCoiChAKBHR5cGUSCBoGc3RyaW5nCg4KB2RlZmF1bHQSAxoBeAoyCgNiaWcSKyopChEKBHR5cGUSCRoHaW50ZWdlcgoUCgdkZWZhdWx0EgkRAAAAAAAAcEIKGQoBYhIUKhIKEAoEdHlwZRIIGgZudW1iZXIKjwEKAW0SiQEqhgEKEAoEdHlwZRIIGgZvYmplY3QKSwoUYWRkaXRpb25hbFByb3BlcnRpZXMSMyoxCg8KBHR5cGUSBxoFYXJyYXkKHgoFaXRlbXMSFSoTChEKBHR5cGUSCRoHaW50ZWdlcgolCg1wcm9wZXJ0eU5hbWVzEhQqEgoQCgR0eXBlEggaBnN0cmluZwoxCgFnEiwqKgoQCgR0eXBlEggaBm51bWJlcgoWCgZmb3JtYXQSDBoKdGltZS1kZWx0YQoaChRhZGRpdGlvbmFsUHJvcGVydGllcxICIAAKEAoEdHlwZRIIGgZvYmplY3QKDQoFdGl0bGUSBBoCRENKPwo9CjsKEmNhY2hlLWtleS1tZXRhZGF0YRIlKiMKIQoUc2VyaWFsaXphdGlvbi1mb3JtYXQSCRoHbXNncGFja1qcAxINCgFoEgg6BgoBQQoBQhIHCgFpEgIqABIeCgFkEhlSFwoJCAFaBQoDaW50CgoIAFoGCgRub25lEgcKAWESAggBEqICCgFmEpwCCAkyvwEKEAoEdHlwZRIIGgZvYmplY3QKYAoKcHJvcGVydGllcxJSKlAKGQoBeBIUKhIKEAoEdHlwZRIIGgZudW1iZXIKMwoEd2hlbhIrKikKEAoEdHlwZRIIGgZzdHJpbmcKFQoGZm9ybWF0EgsaCWRhdGUtdGltZQoQCgV0aXRsZRIHGgVJbm5lcgobCghyZXF1aXJlZBIPMg0KAxoBeAoGGgR3aGVuChoKFGFkZGl0aW9uYWxQcm9wZXJ0aWVzEgIgAEo/Cj0KOwoSY2FjaGUta2V5LW1ldGFkYXRhEiUqIwohChRzZXJpYWxpemF0aW9uLWZvcm1hdBIJGgdtc2dwYWNrWhUSBwoBeBICCAISCgoEd2hlbhICCAUSCgoEZGZsdBICCAMSCQoDYmlnEgIIARIHCgFiEgIIAhILCgFtEgYiBBoCCAESBwoBZxICCAYSAm8yCpUKCgNvMTASjQoKhQpSggoK9AkICTKOCQo2CghyZXF1aXJlZBIqMigKAxoBYQoDGgFiCgMaAWQKAxoBZgoDGgFnCgMaAWgKAxoBaQoDGgFtCpYICgpwcm9wZXJ0aWVzEocIKoQICh0KAWgSGCoWChQKBGVudW0SDDIKCgMaAUEKAxoBQgr4AgoBaRLyAirvAgoQCgR0eXBlEggaBm9iamVjdAqoAgoKcHJvcGVydGllcxKZAiqWAgqtAQoIbWV0YWRhdGESoAEqnQEKiwEKBWFueU9mEoEBMn8KaSpnChAKBHR5cGUSCBoGb2JqZWN0CiwKFGFkZGl0aW9uYWxQcm9wZXJ0aWVzEhQqEgoQCgR0eXBlEggaBnN0cmluZwolCg1wcm9wZXJ0eU5hbWVzEhQqEgoQCgR0eXBlEggaBnN0cmluZwoSKhAKDgoEdHlwZRIGGgRudWxsCg0KB2RlZmF1bHQSAggACmQKBHBhdGgSXCpaCkkKBWFueU9mEkAyPgoUKhIKEAoEdHlwZRIIGgZzdHJpbmcKJiokChAKBHR5cGUSCBoGc3RyaW5nChAKBmZvcm1hdBIGGgRwYXRoCg0KB2RlZmF1bHQSAggAChoKFGFkZGl0aW9uYWxQcm9wZXJ0aWVzEgIgAAoUCgV0aXRsZRILGglGbHl0ZUZpbGUKPwoBZBI6KjgKNgoFYW55T2YSLTIrChUqEwoRCgR0eXBlEgkaB2ludGVnZXIKEioQCg4KBHR5cGUSBhoEbnVsbAoaCgFhEhUqEwoRCgR0eXBlEgkaB2ludGVnZXIKyAEKAWYSwgEqvwEKGwoIcmVxdWlyZWQSDzINCgMaAXgKBhoEd2hlbgpgCgpwcm9wZXJ0aWVzElIqUAoZCgF4EhQqEgoQCgR0eXBlEggaBm51bWJlcgozCgR3aGVuEisqKQoQCgR0eXBlEggaBnN0cmluZwoVCgZmb3JtYXQSCxoJZGF0ZS10aW1lChoKFGFkZGl0aW9uYWxQcm9wZXJ0aWVzEgIgAAoQCgR0eXBlEggaBm9iamVjdAoQCgV0aXRsZRIHGgVJbm5lcgosCgRkZmx0EiQqIgoQCgR0eXBlEggaBnN0cmluZwoOCgdkZWZhdWx0EgMaAXgKMgoDYmlnEisqKQoRCgR0eXBlEgkaB2ludGVnZXIKFAoHZGVmYXVsdBIJEQAAAAAAAHBCChkKAWISFCoSChAKBHR5cGUSCBoGbnVtYmVyCo8BCgFtEokBKoYBChAKBHR5cGUSCBoGb2JqZWN0CksKFGFkZGl0aW9uYWxQcm9wZXJ0aWVzEjMqMQoPCgR0eXBlEgcaBWFycmF5Ch4KBWl0ZW1zEhUqEwoRCgR0eXBlEgkaB2ludGVnZXIKJQoNcHJvcGVydHlOYW1lcxIUKhIKEAoEdHlwZRIIGgZzdHJpbmcKMQoBZxIsKioKEAoEdHlwZRIIGgZudW1iZXIKFgoGZm9ybWF0EgwaCnRpbWUtZGVsdGEKGgoUYWRkaXRpb25hbFByb3BlcnRpZXMSAiAAChAKBHR5cGUSCBoGb2JqZWN0Cg0KBXRpdGxlEgQaAkRDSj8KPQo7ChJjYWNoZS1rZXktbWV0YWRhdGESJSojCiEKFHNlcmlhbGl6YXRpb24tZm9ybWF0EgkaB21zZ3BhY2taHgocT2JqZWN0LURhdGFjbGFzcy1UcmFuc2Zvcm1lcgoJCAFaBQoDaW50EgNvMTAKDgoCbzESCAoCCAUSAm8x";

const b64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const outputsPb = b64(OUTPUTS_PB);
const variables = fromBinary(VariableMapSchema, b64(INTERFACE_PB)).variables;

const when = new PreciseDate(Date.UTC(2024, 0, 2, 3, 4, 5, 123), 456_000);
const dc = {
  a: 1,
  b: 2,
  d: null,
  f: { x: 0.5, when },
  g: Duration.fromMillis(-1500),
  h: "B",
  i: new FlyteFile("s3://b/f"),
  m: { k: [1, 2] },
  big: 2 ** 40,
  dflt: "x",
};

Deno.test("flytekit's outputs.pb decodes the same with the fast codec", () => {
  assertEquals(
    decodeLiteralMap(outputsPb),
    fromBinary(LiteralMapSchema, outputsPb),
  );
});

Deno.test("flytekit's outputs read with the remote interface", () => {
  const out = fromLiteralMap(decodeLiteralMap(outputsPb), variables);
  assertEquals(out, {
    o0: 1n << 60n, // beyond 2^53: a bigint, not a rounded number
    o1: when,
    o2: dc,
    o3: [dc, null],
    o4: { a: { b: [1.5] } },
    o5: "A",
    o6: 3,
    o7: null,
    o8: { x: [1, 2 ** 40, null] },
    o9: new FlyteDirectory("s3://b/d"),
    o10: dc,
  });
  // Record keys come back in Python's field order, as far as the schema's
  // "required" list keeps it (fields with defaults follow in map order).
  assertEquals(
    Object.keys(out.o2 as object).slice(0, 8),
    Object.keys(dc).slice(0, 8),
  );
});

Deno.test("flytekit's outputs read without any type", () => {
  const out = fromLiteralMap(decodeLiteralMap(outputsPb));
  assertEquals(out.o0, 1n << 60n);
  assertEquals(out.o1, when);
  assertEquals(out.o7, null);
  // A record without its type is its msgpack data as JSON.
  assertEquals((out.o2 as Record<string, unknown>).f, {
    x: 0.5,
    when: "2024-01-02T03:04:05.123456",
  });
  // Inside a union, the variant's type (with its schema) is used.
  assertEquals(out.o10, dc);
});

Deno.test("written back with the remote types, the literals match flytekit's", () => {
  const map = decodeLiteralMap(outputsPb);
  const values = fromLiteralMap(map, variables);
  const again = toLiteralMap(values, variables);
  const msgpackOf = (l: Literal) =>
    l.value.case === "scalar" && l.value.value.value.case === "binary"
      ? unpackMsgpack(l.value.value.value.value.value)
      : undefined;
  for (const k of Object.keys(map.literals)) {
    if (k === "o2" || k === "o10") {
      // The same record, keys in another order: the remote type takes the
      // order of fields with defaults (big, dflt) from the JSON schema's
      // properties, a protobuf Struct, whose order flytekit does not keep.
      // The naive datetime (Python wrote no offset) goes back naive.
      // (o10 is the same record inside a union.)
      const inner = (l: Literal) =>
        l.value.case === "scalar" && l.value.value.value.case === "union"
          ? l.value.value.value.value.value!
          : l;
      const ours = msgpackOf(inner(again.literals[k])) as Record<string, never>;
      const theirs = msgpackOf(inner(map.literals[k])) as Record<string, never>;
      assertEquals(Object.keys(ours).sort(), Object.keys(theirs).sort());
      assertEquals(ours["f"]["when"], "2024-01-02T03:04:05.123456");
      assertEquals(ours, theirs);
    } else {
      assertEquals(again.literals[k], map.literals[k], k);
    }
  }
  assert(Object.keys(map.literals).length === 11);
});

// A pydantic v2 model (pydantic 2.14.4), written by flytekit 1.16.31:
// class Inner(BaseModel): x: float; when: datetime; d: timedelta
// class M(BaseModel): a: int; inner: Inner; items: List[Inner]; opt: Optional[str] = None
// M(a=1, inner=Inner(x=1.0, when=datetime(2024,1,2,3,4,5,123456,tzinfo=utc),
//   d=timedelta(seconds=90.5)), items=[Inner(x=2.5, when=datetime(2024,1,2), d=timedelta(days=1))])
const PYDANTIC_PB =
  "CpIBCgJvMBKLAQqIARqFAQp6hKFhAaVpbm5lcoOheMs/8AAAAAAAAKR3aGVuuzIwMjQtMDEtMDJUMDM6MDQ6MDUuMTIzNDU2WqFkqVBUMU0zMC41U6VpdGVtc5GDoXjLQAQAAAAAAACkd2hlbrMyMDI0LTAxLTAyVDAwOjAwOjAwoWSjUDFEo29wdMASB21zZ3BhY2s=";

const PYDANTIC_INTERFACE_PB =
  "CokMCgJvMBKCDAr7CwgJMowFCpkCCgpwcm9wZXJ0aWVzEooCKocCCiQKBWlubmVyEhsqGQoXCgQkcmVmEg8aDSMvJGRlZnMvSW5uZXIKXwoDb3B0ElgqVgoOCgV0aXRsZRIFGgNPcHQKNQoFYW55T2YSLDIqChQqEgoQCgR0eXBlEggaBnN0cmluZwoSKhAKDgoEdHlwZRIGGgRudWxsCg0KB2RlZmF1bHQSAggAClQKBWl0ZW1zEksqSQoPCgR0eXBlEgcaBWFycmF5ChAKBXRpdGxlEgcaBUl0ZW1zCiQKBWl0ZW1zEhsqGQoXCgQkcmVmEg8aDSMvJGRlZnMvSW5uZXIKKAoBYRIjKiEKEQoEdHlwZRIJGgdpbnRlZ2VyCgwKBXRpdGxlEgMaAUEKEAoEdHlwZRIIGgZvYmplY3QKpgIKBSRkZWZzEpwCKpkCCpYCCgVJbm5lchKMAiqJAgrAAQoKcHJvcGVydGllcxKxASquAQo9CgFkEjgqNgoQCgR0eXBlEggaBnN0cmluZwoMCgV0aXRsZRIDGgFEChQKBmZvcm1hdBIKGghkdXJhdGlvbgonCgF4EiIqIAoQCgR0eXBlEggaBm51bWJlcgoMCgV0aXRsZRIDGgFYCkQKBHdoZW4SPCo6ChAKBHR5cGUSCBoGc3RyaW5nCg8KBXRpdGxlEgYaBFdoZW4KFQoGZm9ybWF0EgsaCWRhdGUtdGltZQoQCgR0eXBlEggaBm9iamVjdAogCghyZXF1aXJlZBIUMhIKAxoBeAoGGgR3aGVuCgMaAWQKEAoFdGl0bGUSBxoFSW5uZXIKJQoIcmVxdWlyZWQSGTIXCgMaAWEKBxoFaW5uZXIKBxoFaXRlbXMKDAoFdGl0bGUSAxoBTUo/Cj0KOwoSY2FjaGUta2V5LW1ldGFkYXRhEiUqIwohChRzZXJpYWxpemF0aW9uLWZvcm1hdBIJGgdtc2dwYWNrWqYGEvkCCgVpbm5lchLvAggJMokCChAKBHR5cGUSCBoGb2JqZWN0CsABCgpwcm9wZXJ0aWVzErEBKq4BCicKAXgSIiogCgwKBXRpdGxlEgMaAVgKEAoEdHlwZRIIGgZudW1iZXIKPQoBZBI4KjYKDAoFdGl0bGUSAxoBRAoQCgR0eXBlEggaBnN0cmluZwoUCgZmb3JtYXQSChoIZHVyYXRpb24KRAoEd2hlbhI8KjoKDwoFdGl0bGUSBhoEV2hlbgoQCgR0eXBlEggaBnN0cmluZwoVCgZmb3JtYXQSCxoJZGF0ZS10aW1lCiAKCHJlcXVpcmVkEhQyEgoDGgF4CgYaBHdoZW4KAxoBZAoQCgV0aXRsZRIHGgVJbm5lcko/Cj0KOwoSY2FjaGUta2V5LW1ldGFkYXRhEiUqIwohChRzZXJpYWxpemF0aW9uLWZvcm1hdBIJGgdtc2dwYWNrWh4SBwoBeBICCAISBwoBZBICCAYSCgoEd2hlbhICCAUSIAoDb3B0EhlSFwoJCANaBQoDc3RyCgoIAFoGCgRub25lEvwCCgVpdGVtcxLyAhrvAggJMokCChAKBHR5cGUSCBoGb2JqZWN0ChAKBXRpdGxlEgcaBUlubmVyCiAKCHJlcXVpcmVkEhQyEgoDGgF4CgYaBHdoZW4KAxoBZArAAQoKcHJvcGVydGllcxKxASquAQo9CgFkEjgqNgoQCgR0eXBlEggaBnN0cmluZwoMCgV0aXRsZRIDGgFEChQKBmZvcm1hdBIKGghkdXJhdGlvbgonCgF4EiIqIAoQCgR0eXBlEggaBm51bWJlcgoMCgV0aXRsZRIDGgFYCkQKBHdoZW4SPCo6ChAKBHR5cGUSCBoGc3RyaW5nCg8KBXRpdGxlEgYaBFdoZW4KFQoGZm9ybWF0EgsaCWRhdGUtdGltZUo/Cj0KOwoSY2FjaGUta2V5LW1ldGFkYXRhEiUqIwohChRzZXJpYWxpemF0aW9uLWZvcm1hdBIJGgdtc2dwYWNrWh4SBwoBZBICCAYSBwoBeBICCAISCgoEd2hlbhICCAUSBwoBYRICCAESAm8w";

Deno.test("a pydantic model ($defs/$ref schema, ISO durations) reads and writes back", () => {
  const map = decodeLiteralMap(b64(PYDANTIC_PB));
  const vars =
    fromBinary(VariableMapSchema, b64(PYDANTIC_INTERFACE_PB)).variables;
  const v = fromLiteralMap(map, vars);
  const expected = {
    a: 1,
    inner: { x: 1, when, d: Duration.fromMillis(90_500) },
    items: [{
      x: 2.5,
      when: new Date(Date.UTC(2024, 0, 2)),
      d: new Duration(86400),
    }],
    opt: null,
  };
  assertEquals(v, { o0: expected });
  const again = toLiteralMap(v, vars);
  assertEquals(fromLiteralMap(again, vars), { o0: expected });
  // Inside a union the variant keeps its "Pydantic Transformer" tag.
  const lt = vars.o0.type!;
  const u = typeFromLiteralType(
    create(LiteralTypeSchema, {
      type: {
        case: "unionType",
        value: {
          variants: [
            create(LiteralTypeSchema, {
              type: lt.type,
              metadata: lt.metadata,
              annotation: lt.annotation,
              structure: { tag: "Pydantic Transformer" },
            }),
            create(LiteralTypeSchema, {
              type: { case: "simple", value: SimpleType.INTEGER },
              structure: { tag: "int" },
            }),
          ],
        },
      },
    }),
  );
  const lit = toLiteral(expected, u);
  assert(lit.value.case === "scalar" && lit.value.value.value.case === "union");
  assertEquals(
    lit.value.value.value.value.type?.structure?.tag,
    "Pydantic Transformer",
  );
  assertEquals(fromLiteral(lit, u), expected);
  assertEquals(fromLiteral(toLiteral(7, u), u), 7);
});
