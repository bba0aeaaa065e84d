package dev.citizen.gateway.observe;

import java.util.List;

/**
 * All observers as one, in a fixed order (tracing first, so that the ids it sets are the ones the
 * others see). With none configured every call is a loop over an empty array.
 */
public final class Observers implements RequestObserver {
  /** How many observers may keep per-request state in {@link RequestRecord#slot}. */
  public static final int MAX_SLOTS = 4;

  public static final Observers NONE = new Observers(List.of());

  private final RequestObserver[] all;

  public Observers(List<RequestObserver> observers) {
    this.all = observers.toArray(new RequestObserver[0]);
  }

  @Override
  public void requestStarted(RequestRecord record) {
    for (RequestObserver o : all) {
      o.requestStarted(record);
    }
  }

  @Override
  public void attemptStarted(RequestRecord record, Attempt attempt) {
    record.attempt(attempt.endpoint(), attempt.version());
    for (RequestObserver o : all) {
      o.attemptStarted(record, attempt);
    }
  }

  @Override
  public void attemptEnded(RequestRecord record, Attempt attempt) {
    for (RequestObserver o : all) {
      o.attemptEnded(record, attempt);
    }
  }

  @Override
  public void event(RequestRecord record, String name) {
    for (RequestObserver o : all) {
      o.event(record, name);
    }
  }

  @Override
  public void requestEnded(RequestRecord record) {
    for (RequestObserver o : all) {
      o.requestEnded(record);
    }
  }

  @Override
  public void rejected(Rejection rejection) {
    for (RequestObserver o : all) {
      o.rejected(rejection);
    }
  }

  @Override
  public void connectionCut(String reason) {
    for (RequestObserver o : all) {
      o.connectionCut(reason);
    }
  }
}
