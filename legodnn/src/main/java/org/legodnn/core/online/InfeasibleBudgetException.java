package org.legodnn.core.online;

/** Thrown when relaxation is off and no composition meets the budgets, so the caller learns which budget failed. */
public final class InfeasibleBudgetException extends RuntimeException {

    public InfeasibleBudgetException(String message) {
        super(message);
    }
}
