"""Request and response bodies of the prediction API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

MAX_INSTANCES = 1000


class IrisFeatures(BaseModel):
    """One flower's measurements, in centimetres."""

    model_config = ConfigDict(extra="forbid")

    sepal_length_cm: float = Field(ge=0, le=100)
    sepal_width_cm: float = Field(ge=0, le=100)
    petal_length_cm: float = Field(ge=0, le=100)
    petal_width_cm: float = Field(ge=0, le=100)


class PredictRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "instances": [
                        {"sepal_length_cm": 5.1, "sepal_width_cm": 3.5, "petal_length_cm": 1.4, "petal_width_cm": 0.2}
                    ]
                }
            ]
        },
    )

    instances: list[IrisFeatures] = Field(min_length=1, max_length=MAX_INSTANCES)


class Prediction(BaseModel):
    label: int
    class_name: str


class PredictResponse(BaseModel):
    model_uri: str
    predictions: list[Prediction]


class Health(BaseModel):
    status: str
    model_uri: str
