/**
 * Charter's policy language: who must sign for something to be accepted. It follows Fabric's
 * signature-policy and implicit-meta-policy syntax.
 *
 * <pre>
 * policy     = signature | implicit
 * signature  = principal
 *            | "AND" "(" signature { "," signature } ")"          all of them
 *            | "OR" "(" signature { "," signature } ")"           at least one
 *            | "OutOf" "(" n "," signature { "," signature } ")"  at least n, 1 &lt;= n &lt;= count
 * principal  = "'" mspId "." role "'"      (double quotes also accepted)
 * role       = "member" | "admin" | "client" | "peer" | "orderer"
 * implicit   = ("ANY" | "ALL" | "MAJORITY") subPolicyName
 * </pre>
 *
 * <p>Keywords are case-insensitive; roles are lower case. An MSP id is letters, digits, {@code .},
 * {@code _} and {@code -}, and a principal splits at its last dot. {@code member} accepts any role of
 * the organization. Whitespace may appear between tokens. An implicit meta policy is always the
 * whole policy: {@code MAJORITY Admins} is satisfied when more than half of the organizations'
 * {@code Admins} policies are (see {@link io.charter.common.policy.SubPolicies} for the defaults).
 *
 * <p>{@link io.charter.common.policy.PolicyParser} turns text into a
 * {@link io.charter.common.policy.Policy} or throws a
 * {@link io.charter.common.policy.PolicySyntaxException} with a stable code and position;
 * {@link io.charter.common.policy.PolicyEvaluator} evaluates a policy over validated signers, where
 * one signer counts for at most one principal.
 *
 * <p>Where Charter differs from Fabric: evaluation is exact where Fabric's greedy assignment can
 * reject a signer set depending on its order; ANY/ALL/MAJORITY over no organizations is not
 * satisfied (Fabric says it is); MSP ids may also contain '_'; nesting is limited to
 * {@value io.charter.common.policy.PolicyParser#MAX_DEPTH} levels.
 */
package io.charter.common.policy;
