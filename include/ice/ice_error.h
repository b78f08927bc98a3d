/* SPDX-License-Identifier: Apache-2.0 */
/*
 * icestream error model: every fallible function returns an int from enum ice_code
 * and fills an optional caller-allocated struct ice_error with a readable message.
 * Values are ABI: never renumber, only append.
 */
#ifndef ICE_ERROR_H
#define ICE_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define ICE_API __attribute__((visibility("default")))
#else
#define ICE_API
#endif

/** Result codes. 0 is success; everything else is an error kind. */
enum ice_code {
  ICE_OK = 0,
  ICE_EINVAL = 1,          /**< bad argument, option or property */
  ICE_ENOMEM = 2,          /**< allocation failed */
  ICE_EIO = 3,             /**< storage or network failure; detail = errno or HTTP status */
  ICE_ECORRUPT = 4,        /**< malformed Parquet/Avro/Thrift/JSON input */
  ICE_EUNSUPPORTED = 5,    /**< valid input, feature not implemented (e.g. encryption) */
  ICE_ENOTFOUND = 6,       /**< namespace, table, column or file does not exist */
  ICE_EEXISTS = 7,         /**< namespace, table or file already exists */
  ICE_ECONFLICT = 8,       /**< optimistic commit lost the race; retryable */
  ICE_ECOMMIT_UNKNOWN = 9, /**< outcome unknown; written files must NOT be deleted */
  ICE_EAUTH = 10,          /**< authentication or authorization failed */
  ICE_ELIMIT = 11,         /**< a cap from docs/internals/LIMITS.md was hit */
  ICE_ECANCELED = 12,      /**< the caller cancelled the operation */
  ICE_EINTERNAL = 13,      /**< invariant violated: a bug, please report */
  ICE_ESCHEMA = 14         /**< input schema incompatible with the table schema */
};

/** Caller-allocated error detail. Pass NULL where only the code matters. The message
 *  is meaningful only after a non-zero return. */
struct ice_error {
  int code;          /**< enum ice_code */
  int detail;        /**< errno, HTTP status or SQLSTATE class; 0 if none */
  char message[512]; /**< "outer context: inner context: cause", NUL-terminated */
};

/** Name of a code ("ICE_ECONFLICT"); never NULL. */
ICE_API const char *ice_code_name(int code);

/** Clears an error struct (code ICE_OK, empty message). NULL is fine. */
ICE_API void ice_error_clear(struct ice_error *err);

#ifdef __cplusplus
}
#endif
#endif /* ICE_ERROR_H */
